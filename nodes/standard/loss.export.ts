/** The loss outside Wavegraph: mean softmax cross-entropy; the ONNX model ends at the class scores. */
import type { OnnxWriter, PytorchWriter } from '../types';

export const lossPytorch: PytorchWriter<object> = {
  className: 'SoftmaxCrossEntropy',
  source: `class SoftmaxCrossEntropy(nn.Module):
    """Mean over the batch of −log softmax(scores)[label]."""

    def forward(self, scores, labels):
        return F.cross_entropy(scores, labels)
`,
  args: () => ({}),
};

export const lossOnnx: OnnxWriter<object> = { write: () => ({}) };
