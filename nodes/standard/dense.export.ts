/** Dense outside Wavegraph: y = x · kernel + bias with kernel [D, units], Wavegraph's layout. */
import type { OnnxWriter, PytorchWriter } from '../types';

interface P {
  units: number;
  bias: boolean;
}

export const densePytorch: PytorchWriter<P> = {
  className: 'Dense',
  source: `class Dense(nn.Module):
    """y = x · kernel + bias, kernel [D, units] as in Wavegraph."""

    def __init__(self, d, units, bias):
        super().__init__()
        self.kernel = nn.Parameter(torch.zeros(d, units))
        self.bias = nn.Parameter(torch.zeros(units)) if bias else None

    def forward(self, x):
        y = x @ self.kernel
        return y + self.bias if self.bias is not None else y
`,
  args: ({ params: p, inputs }) => ({ d: inputs.in[0].shape[0], units: p.units, bias: p.bias }),
};

export const denseOnnx: OnnxWriter<P> = {
  write({ params: p }, inputs, b) {
    const y = b.op('MatMul', [inputs.in[0], b.weight('kernel').name])[0];
    return { out: p.bias ? b.op('Add', [y, b.weight('bias').name])[0] : y };
  },
};
