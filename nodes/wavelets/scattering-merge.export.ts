/** ScatteringMerge outside Wavegraph: concatenate the blocks, then Kymatio's channel order as one index. */
import type { OnnxWriter, PytorchWriter } from '../types';
import { kymatioPermutation } from './scattering-order';

interface P {
  J: number;
  L: number;
  maxOrder: number;
}

export const scatteringMergePytorch: PytorchWriter<P> = {
  className: 'ScatteringMerge',
  source: `class ScatteringMerge(nn.Module):
    """Blocks S0, S1[j1], S2[j1, j2] concatenated, then reordered into Kymatio's channel order."""

    def __init__(self, order):
        super().__init__()
        self.register_buffer('order', torch.tensor(order), persistent=False)

    def forward(self, xs):
        return torch.cat(xs, 1).index_select(1, self.order)
`,
  args: ({ params: p, inputs }) => ({ order: kymatioPermutation(p.J, p.L, p.maxOrder, inputs.in[0].shape[2]) }),
};

export const scatteringMergeOnnx: OnnxWriter<P> = {
  write({ params: p, inputs: specs }, inputs, b) {
    const order = kymatioPermutation(p.J, p.L, p.maxOrder, specs.in[0].shape[2]);
    const all = inputs.in.length === 1 ? inputs.in[0] : b.op('Concat', inputs.in, { axis: 1 })[0];
    return { out: b.op('Gather', [all, b.constant(order, [order.length], true)], { axis: 1 })[0] };
  },
};
