/** Conv2D outside Wavegraph: the kernel keeps its [k, k, C_in, C_out] layout and name. */
import type { OnnxWriter, PytorchWriter } from '../types';
import { samePad } from '../shapes';

interface P {
  channels: number;
  kernel: number;
  stride: number;
  padding: string;
  bias: boolean;
}

/** (left, right, top, bottom) zero padding, TensorFlow's "same" rule. */
export function convPads(h: number, w: number, k: number, stride: number, padding: string): number[] {
  if (padding !== 'same') return [0, 0, 0, 0];
  const [t, b] = samePad(h, k, stride);
  const [l, r] = samePad(w, k, stride);
  return [l, r, t, b];
}

export const conv2dPytorch: PytorchWriter<P> = {
  className: 'Conv2D',
  source: `class Conv2D(nn.Module):
    """Learned filters; kernel [k, k, C_in, C_out] as in Wavegraph; pad = (left, right, top, bottom)."""

    def __init__(self, cin, cout, k, stride, pad, bias):
        super().__init__()
        if torch.backends.mkldnn.enabled and not self.convolution_is_exact():
            warnings.warn('this torch build convolves wrongly with oneDNN (mkldnn); using its other convolution')
            torch.backends.mkldnn.enabled = False
        self.stride, self.pad = stride, tuple(pad)
        self.kernel = nn.Parameter(torch.zeros(k, k, cin, cout))
        self.bias = nn.Parameter(torch.zeros(cout)) if bias else None

    def forward(self, x):
        left, right, top, bottom = self.pad
        if left == right and top == bottom:  # symmetric: the convolution pads by itself, without a copy
            return F.conv2d(x, self.kernel.permute(3, 2, 0, 1), self.bias, self.stride, (top, left))
        return F.conv2d(F.pad(x, self.pad), self.kernel.permute(3, 2, 0, 1), self.bias, self.stride)

    @staticmethod
    def convolution_is_exact():
        """Whether this torch convolves right when the input channels are not a multiple of 16: Debian's
        python3-torch 2.6 with its oneDNN does not (relative error ~0.1). Checked against float64, which
        oneDNN does not handle."""
        g = torch.Generator().manual_seed(0)
        x, w = torch.rand(2, 17, 7, 7, generator=g), torch.rand(8, 17, 3, 3, generator=g)
        exact = F.conv2d(x.double(), w.double(), padding=1).float()
        return torch.allclose(F.conv2d(x, w, padding=1), exact, rtol=1e-4, atol=1e-4)
`,
  args: ({ params: p, inputs }) => {
    const [h, w, cin] = inputs.in[0].shape;
    return {
      cin,
      cout: p.channels,
      k: p.kernel,
      stride: p.stride,
      pad: convPads(h, w, p.kernel, p.stride, p.padding),
      bias: p.bias,
    };
  },
};

export const conv2dOnnx: OnnxWriter<P> = {
  write({ params: p, inputs: specs }, inputs, b) {
    const [h, w] = specs.in[0].shape;
    const k = b.weight('kernel');
    const [kh, kw, cin, cout] = k.shape;
    const oihw = new Float32Array(k.data.length);
    for (let a = 0; a < kh; a++)
      for (let c = 0; c < kw; c++)
        for (let i = 0; i < cin; i++)
          for (let o = 0; o < cout; o++) {
            oihw[((o * cin + i) * kh + a) * kw + c] = k.data[((a * kw + c) * cin + i) * cout + o];
          }
    const [l, r, t, bo] = convPads(h, w, p.kernel, p.stride, p.padding);
    const ins = [inputs.in[0], b.constant(oihw, [cout, cin, kh, kw])];
    if (p.bias) ins.push(b.weight('bias').name);
    return {
      out: b.op('Conv', ins, { kernel_shape: [kh, kw], strides: [p.stride, p.stride], pads: [t, l, bo, r] })[0],
    };
  },
};
