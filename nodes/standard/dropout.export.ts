/** Dropout outside Wavegraph: the same rule (scaled by 1/(1 − r) while training, identity at test time); the random masks differ. */
import type { OnnxWriter, PytorchWriter } from '../types';

export const dropoutPytorch: PytorchWriter<{ rate: number }> = {
  className: 'Dropout',
  source: `class Dropout(nn.Module):
    def __init__(self, rate):
        super().__init__()
        self.rate = rate

    def forward(self, x):
        return F.dropout(x, self.rate, self.training)
`,
  args: ({ params }) => ({ rate: params.rate }),
};

export const dropoutOnnx: OnnxWriter<{ rate: number }> = { write: (_n, inputs) => ({ out: inputs.in[0] }) };
