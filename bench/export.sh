#!/usr/bin/env bash
# Figures for the PyTorch export (run once; note `uptime` beside them):
#  1. exported cnn, torchrun --nproc_per_node=2 (gloo, CPU), Fashion-MNIST, 1 epoch: test accuracy, samples/s;
#     training speed of model.py against the same network written by hand, in one process;
#  2. exported scattering-linear, 5 epochs (one process): test accuracy;
#  3. exported Scattering2D forward (J = 2 and 3, L = 8, 28 x 28, batch 256, 2 threads) beside `wavegraph scatter`.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
py=/usr/bin/python3
uptime
node bin/wavegraph.js export templates/cnn.json --to pytorch --out "$out/cnn" >/dev/null
echo "== cnn, torchrun --nproc_per_node=2, 1 epoch"
(cd "$out/cnn" && OMP_NUM_THREADS=1 torchrun --standalone --nproc_per_node=2 --redirects 1 --tee 1 --log_dir "$out/logs" \
  train.py --epochs 1 --threads 1 --json 2>/dev/null | grep -o '{"epoch.*}')
echo "== cnn training speed, exported model.py vs hand-written (1 process, 2 threads, batch 128)"
$py bench/export_speed.py train "$out/cnn" 2 30
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
