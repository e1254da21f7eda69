/** ReLU and Abs outside Wavegraph. */
import type { OnnxWriter, PytorchWriter } from '../types';

export const reluPytorch: PytorchWriter<object> = {
  className: 'ReLU',
  source: `class ReLU(nn.Module):
    def forward(self, x):
        return F.relu(x)
`,
  args: () => ({}),
};

export const reluOnnx: OnnxWriter<object> = { write: (_n, inputs, b) => ({ out: b.op('Relu', inputs.in)[0] }) };

export const absPytorch: PytorchWriter<object> = {
  className: 'Abs',
  source: `class Abs(nn.Module):
    def forward(self, x):
        return x.abs()
`,
  args: () => ({}),
};

export const absOnnx: OnnxWriter<object> = { write: (_n, inputs, b) => ({ out: b.op('Abs', inputs.in)[0] }) };
