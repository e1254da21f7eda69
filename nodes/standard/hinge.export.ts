/** The quadratic hinge outside Wavegraph: the split is written into the module; the ONNX model ends at the score f. */
import type { OnnxWriter, PytorchWriter } from '../types';
import { parseSplit } from '../math/binary-split';

export const hingePytorch: PytorchWriter<{ split: string }> = {
  className: 'QuadraticHinge',
  source: `class QuadraticHinge(nn.Module):
    """Mean over the batch of ½ max(0, 1 − y f)², y = +1 for the dataset classes in positive (odd ones when parity)."""

    def __init__(self, parity, positive):
        super().__init__()
        self.parity = parity
        self.register_buffer('positive', torch.tensor(positive, dtype=torch.int64), persistent=False)

    def sign(self, labels):
        if self.parity:
            side = labels % 2 == 1
        elif len(self.positive) > 0:
            side = torch.isin(labels, self.positive)
        else:
            side = labels == 1
        return side.float() * 2 - 1

    def forward(self, scores, labels):
        gap = torch.relu(1 - self.sign(labels) * scores.reshape(-1))
        return (0.5 * gap * gap).mean()

    def correct(self, scores, labels):
        """How many signs of the score match the side of the label."""
        return ((scores.reshape(-1) > 0).float() * 2 - 1 == self.sign(labels)).sum()
`,
  args: (n) => {
    const r = parseSplit(n.params.split);
    const spec = r.ok ? r.spec : { kind: 'none' as const };
    return { parity: spec.kind === 'parity', positive: spec.kind === 'classes' ? spec.positive : [] };
  },
};

export const hingeOnnx: OnnxWriter<{ split: string }> = { write: () => ({}) };
