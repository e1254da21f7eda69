/** The Input node outside Wavegraph: images arrive as float32 [B, C, H, W] in [0, 1]. */
import type { OnnxWriter, PytorchWriter } from '../types';

export const inputPytorch: PytorchWriter<object> = {
  className: 'Input',
  source: `class Input(nn.Module):
    """The images, float32 [B, C, H, W] with pixel values in [0, 1]."""

    def forward(self, x):
        return x
`,
  args: () => ({}),
};

export const inputOnnx: OnnxWriter<object> = { write: (_n, inputs) => ({ out: inputs.data[0] }) };
