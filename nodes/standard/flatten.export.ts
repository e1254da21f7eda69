/** Flatten outside Wavegraph: a NCHW map is read in Wavegraph's channel-last order, so Dense weights carry over. */
import type { OnnxWriter, PytorchWriter } from '../types';

export const flattenPytorch: PytorchWriter<object> = {
  className: 'Flatten',
  source: `class Flatten(nn.Module):
    """[B, C, H, W] -> [B, H·W·C] in channel-last order (Wavegraph's), so Dense weights carry over."""

    def forward(self, x):
        if x.dim() == 4:
            x = x.permute(0, 2, 3, 1)
        return x.reshape(x.shape[0], -1)
`,
  args: () => ({}),
};

export const flattenOnnx: OnnxWriter<object> = {
  write({ inputs: specs }, inputs, b) {
    let x = inputs.in[0];
    if (specs.in[0].shape.length === 3) x = b.op('Transpose', [x], { perm: [0, 2, 3, 1] })[0];
    return { out: b.op('Flatten', [x], { axis: 1 })[0] };
  },
};
