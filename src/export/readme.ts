/** README.md of an exported PyTorch package. */
import type { TrainSettings } from '../../compiler';

export function packageReadme(name: string, dataset: string, s: TrainSettings): string {
  return `# ${name} (exported from Wavegraph)

\`model.py\` is the graph as one PyTorch module (node ids are its attributes, each node's
formula is a comment above it); \`train.py\` trains it with the graph's settings
(${s.optimizer}, learning rate ${s.learningRate}${s.schedule === 'cosine' ? ', cosine schedule' : ''}, batch ${s.batchSize}, ${s.epochs} epoch(s), seed ${s.seed}).
\`weights/\` holds the starting weights in Wavegraph's format; \`constants.*\` the fixed
filter spectra that are not weights. Needs python3, numpy and torch (1.13 or 2.x) only.

## One machine

    python3 train.py --data ${dataset} --save trained
    python3 train.py --evaluate --weights trained

Datasets: \`fashion-mnist\`, \`mnist\`, \`cifar10\` (folder from \`--data-dir\` or
WAVEGRAPH_FASHION_MNIST / WAVEGRAPH_MNIST / WAVEGRAPH_CIFAR10), or a folder holding the four
IDX files (gzipped or not), the CIFAR-10 binary batches, or train-images.npy,
train-labels.npy, test-images.npy and test-labels.npy. Other flags: \`--epochs --batch --lr
--seed --limit --test-limit --device --json\`; \`python3 train.py --help\` lists them all.

## Several GPUs (or CPU processes)

    torchrun --standalone --nproc_per_node=4 train.py --data ${dataset} --save trained

\`--batch\` is the global batch: each process takes batch / N samples per step and the
gradients are averaged (DistributedDataParallel; nccl on CUDA, gloo on CPU), so the
steps are those of one process with the same batch. Rank 0 logs, evaluates and saves.
(Debian's torch 1.13 under Python 3.11 needs \`torchrun --redirects 1 --tee 1 --log_dir logs ...\`.)

## Several machines

On every machine, with the same endpoint (host:port of the first one):

    torchrun --nnodes=2 --nproc_per_node=8 --rdzv-backend c10d --rdzv-endpoint HOST:29400 \\
      --rdzv-id myrun train.py --data ${dataset} --save trained

(torch 1.13 spells the flags \`--rdzv_backend --rdzv_endpoint --rdzv_id\`.)

## Weights back into Wavegraph

\`--save DIR\` writes \`DIR/weights.json\` and \`DIR/weights.bin\`, Wavegraph's own format and
names. Use them with \`wavegraph probe stability graph.json --weights DIR\` (and
\`spectrum\`, \`resample\`), or in the app with Export → Load weights for this graph.
`;
}
