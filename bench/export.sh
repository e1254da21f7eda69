#!/usr/bin/env bash
# Figures for the PyTorch export (run once; note `uptime` beside them); `bench/export.sh cnn` runs part 1 alone:
#  1. exported cnn, torchrun --nproc_per_node=2 (gloo, CPU, 1 thread each), Fashion-MNIST, 1 epoch: test
#     accuracy, samples/s; then the same network written by hand (bench/pytorch_cnn_train.py) under the
#     same torchrun settings, and the ratio of their speeds; then both networks' steps alternating under torchrun;
#  2. exported scattering-linear, 5 epochs (one process): test accuracy;
#  3. exported Scattering2D forward (J = 2 and 3, L = 8, 28 x 28, batch 256, 2 threads) beside `wavegraph scatter`.
# Debian's python3-torch does its matrix products with the BLAS that libblas.so.3 points to; with
# Debian's default (libblas3, the reference BLAS) the cnn's Dense layer takes most of each step.
# Installing libopenblas0-pthread switches it (or point LD_LIBRARY_PATH at OpenBLAS's libblas.so.3).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
py=/usr/bin/python3
uptime
node bin/wavegraph.js export templates/cnn.json --to pytorch --out "$out/cnn" >/dev/null
echo "BLAS used by torch: $($py -c "import torch; print(next(l.split()[-1] for l in open('/proc/self/maps') if 'blas' in l))")"
run2() { OMP_NUM_THREADS=1 torchrun --standalone --nproc_per_node=2 --redirects 1 --tee 1 --log_dir "$out/logs-$1" "${@:2}" 2>/dev/null; }
echo "== cnn, torchrun --nproc_per_node=2, 1 thread each, 1 epoch: exported train.py"
exp=$(cd "$out/cnn" && run2 exported train.py --epochs 1 --threads 1 --json | grep -o '{"epoch.*}')
echo "$exp"
uptime
echo "== the same network written by hand (bench/pytorch_cnn_train.py), same torchrun settings"
hand=$(run2 hand bench/pytorch_cnn_train.py --epochs 1 --threads 1 | grep -o '{"epoch.*}')
echo "$hand"
$py -c "import json, sys; e, h = (json.loads(a)['samplesPerSec'] for a in sys.argv[1:]); print(f'exported / hand-written speed: {e / h:.3f}')" "$exp" "$hand"
uptime
# The two epochs run one after the other, and a shared machine's load changes between them: the
# ratio that counts is the next one, where the two networks' steps alternate in the same processes.
# There glibc would hand each network's freed activations back to the system for the other's step to
# fault in again (half the step time, unevenly): blocks under 32 MiB stay on the heap, as they soon do
# in a process that trains one network.
echo "== cnn step speed, exported model.py vs hand-written, same torchrun settings, global batch 128, alternating steps"
MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=268435456 run2 speed bench/export_speed.py ddp "$out/cnn" 1 100 | grep -o '{.*}'
[ "${1:-}" = cnn ] && { uptime; exit 0; } # `bench/export.sh cnn`: part 1 only
echo "== scattering-linear, 5 epochs"
node bin/wavegraph.js export templates/scattering-linear.json --to pytorch --out "$out/sl" >/dev/null
(cd "$out/sl" && $py train.py --epochs 5 --threads 2 --json | tail -2)
for J in 2 3; do
  echo "== scattering forward J=$J L=8 28x28 batch 256, 2 threads"
  sed "s/\"J\": 2/\"J\": $J/" templates/scattering-linear.json > "$out/j$J.json"
  node bin/wavegraph.js export "$out/j$J.json" --to pytorch --out "$out/j$J" >/dev/null
  echo -n "exported (torch.fft): "; $py bench/export_speed.py scatter "$out/j$J" 2 256 8
  $py -c "import numpy as np; np.save('$out/x.npy', np.random.rand(256, 28, 28).astype('float32'))"
  s=$(date +%s.%N); node bin/wavegraph.js scatter --J $J --L 8 --input "$out/x.npy" --output "$out/y.npy" --threads 2 >/dev/null; e=$(date +%s.%N)
  echo "wavegraph scatter (whole command, 256 images, incl. start-up): $(echo "256 / ($e - $s)" | bc -l | cut -c1-6) images/s"
done
uptime
