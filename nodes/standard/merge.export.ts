/** Add and Concat outside Wavegraph; Wavegraph's last (channel) axis is axis 1 in NCHW. */
import type { OnnxWriter, PytorchWriter } from '../types';

export const addPytorch: PytorchWriter<object> = {
  className: 'Add',
  source: `class Add(nn.Module):
    def forward(self, xs):
        return sum(xs[1:], xs[0])
`,
  args: () => ({}),
};

export const addOnnx: OnnxWriter<object> = {
  write: (_n, inputs, b) => ({ out: inputs.in.slice(1).reduce((acc, x) => b.op('Add', [acc, x])[0], inputs.in[0]) }),
};

export const concatPytorch: PytorchWriter<object> = {
  className: 'Concat',
  source: `class Concat(nn.Module):
    def forward(self, xs):
        return torch.cat(xs, 1)
`,
  args: () => ({}),
};

export const concatOnnx: OnnxWriter<object> = {
  write: (_n, inputs, b) => ({
    out: inputs.in.length === 1 ? inputs.in[0] : b.op('Concat', inputs.in, { axis: 1 })[0],
  }),
};
