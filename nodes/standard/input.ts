import { defineNode } from '../types';
import { ok } from '../shapes';
import { inputPytorch, inputOnnx } from './input.export';

export const Input = defineNode({
  type: 'Input',
  version: 1,
  pytorch: inputPytorch,
  onnx: inputOnnx,
  title: 'Input images',
  category: 'Data',
  role: 'input',
  doc: {
    summary: 'A batch of images from the dataset.',
    formula: 'x ∈ ℝ^{B × H × W × C}, pixel values scaled to [0, 1]',
    intuition:
      'Where the data enters the network. Each training step draws a batch of B images; every other node transforms this tensor. The shape here must match the dataset you train on.',
    reference: 'Fashion-MNIST: Xiao, Rasul & Vollgraf (2017).',
  },
  inputs: [],
  outputs: [{ name: 'out', kinds: ['map'], doc: 'The images, channel-last.' }],
  params: {
    dataset: {
      kind: 'string',
      default: 'synthetic',
      help: 'Dataset to train on: synthetic, fashion-mnist, mnist, cifar10 or a folder.',
      main: true,
    },
    height: { kind: 'int', default: 28, min: 1, max: 1024, help: 'Image height in pixels.' },
    width: { kind: 'int', default: 28, min: 1, max: 1024, help: 'Image width in pixels.' },
    channels: { kind: 'int', default: 1, min: 1, max: 16, help: 'Colour channels (1 for grey, 3 for RGB).' },
  },
  inferShape(p) {
    return ok({ out: { kind: 'map', shape: [p.height, p.width, p.channels] } });
  },
  lower() {
    return { apply: (inputs) => ({ out: inputs.data[0] }) };
  },
});
