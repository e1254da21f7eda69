/**
 * WaveletConv outside Wavegraph. PyTorch: torch.fft on the padded grid, the filters'
 * spectra taken from the spatial windows at every call (so learned filters train).
 * ONNX: the spectra are computed here once, in float64, and the DFTs are MatMuls.
 */
import type { OnnxBuilder, OnnxWriter, PytorchWriter } from '../types';
import { twiddle } from './dft-matrices';
import { reflectIndices, reflectPadPytorch } from './reflect-pad.export';
import { onnxDft2, onnxGatherPad, onnxInverseAt } from './spectral-onnx';
import { isProblem, waveletGeometry, type SpectralGrid, type WaveletConvParams } from './wavelet-geometry';

/** (start, step, count) of an evenly spaced list of positions. */
export function slice(positions: number[]): number[] {
  return [positions[0], positions.length > 1 ? positions[1] - positions[0] : 1, positions.length];
}

/** The reflect padding a grid needs, as ReflectPad's (h, w, top, left, hp, wp) arguments, or None. */
export function gridPad(g: SpectralGrid, h: number, w: number) {
  return g.pad ? [h, w, g.pad.top, g.pad.left, g.gridH, g.gridW] : null;
}

export const waveletConvPytorch: PytorchWriter<WaveletConvParams> = {
  className: 'WaveletConv',
  uses: [reflectPadPytorch],
  source: `class WaveletConv(nn.Module):
    """Complex filters by circular convolution on the padded grid, through torch.fft.

    psi_real, psi_imag: [Sh, Sw, F] spatial windows, origin at tap (Sh // 2, Sw // 2).
    Output [B, 2·C·F, h, w]: the C·F real parts (channel major), then the imaginary parts.
    """

    def __init__(self, sh, sw, filters, trainable, grid, pad, rows, cols):
        super().__init__()
        for name in ('psi_real', 'psi_imag'):
            t = torch.zeros(sh, sw, filters)
            if trainable:
                setattr(self, name, nn.Parameter(t))
            else:
                self.register_buffer(name, t)
        self.grid, self.rows, self.cols = tuple(grid), rows, cols
        self.pad = ReflectPad(*pad) if pad else None

    def spectra(self):
        if isinstance(self.psi_real, nn.Parameter):
            return self.window_spectra()
        # Wired filters: their spectra are computed again only when the buffers change (loaded weights).
        key = (self.psi_real._version, self.psi_imag._version, self.psi_real.data_ptr(), self.psi_real.device)
        if getattr(self, '_spectra', (None,))[0] != key:
            with torch.no_grad():
                self._spectra = (key, self.window_spectra())
        return self._spectra[1]

    def window_spectra(self):
        hg, wg = self.grid
        sh, sw, _ = self.psi_real.shape
        def place(w):  # window -> periodic grid, tap (a, b) at offset (a - sh // 2, b - sw // 2)
            w = F.pad(w.permute(2, 0, 1), (0, wg - sw, 0, hg - sh))
            return torch.roll(w, shifts=(-(sh // 2), -(sw // 2)), dims=(1, 2))
        return torch.fft.fft2(torch.complex(place(self.psi_real), place(self.psi_imag)))

    def forward(self, x):
        if self.pad is not None:
            x = self.pad(x)
        z = filter_at(fft2_of(x), self.spectra(), self.rows, self.cols)
        z = z.reshape(x.shape[0], -1, z.shape[-2], z.shape[-1])
        return torch.cat([z.real, z.imag], 1)
`,
  args: ({ params: p, inputs }) => {
    const [h, w] = inputs.in[0].shape;
    const g = waveletGeometry(p, h, w);
    if (isProblem(g)) throw new Error(g.message);
    return {
      sh: g.Sh,
      sw: g.Sw,
      filters: g.filters,
      trainable: p.mode !== 'wired',
      grid: [g.gridH, g.gridW],
      pad: gridPad(g, h, w),
      rows: slice(g.rows),
      cols: slice(g.cols),
    };
  },
};

/** Spectra [F, Hg, Wg] of centred windows [Sh, Sw, F] on an Hg x Wg grid, in float64. */
function windowSpectra(re: Float32Array, im: Float32Array, Sh: number, Sw: number, F: number, Hg: number, Wg: number) {
  const outRe = new Float32Array(F * Hg * Wg);
  const outIm = new Float32Array(F * Hg * Wg);
  const rowRe = new Float64Array(Sh * Wg);
  const rowIm = new Float64Array(Sh * Wg);
  for (let f = 0; f < F; f++) {
    // along the width first: rows a, frequencies v
    for (let a = 0; a < Sh; a++) {
      for (let v = 0; v < Wg; v++) {
        let sr = 0,
          si = 0;
        for (let c = 0; c < Sw; c++) {
          const [cr, ci] = twiddle(v * (c - Math.floor(Sw / 2)), Wg, -1);
          const xr = re[(a * Sw + c) * F + f],
            xi = im[(a * Sw + c) * F + f];
          sr += xr * cr - xi * ci;
          si += xr * ci + xi * cr;
        }
        rowRe[a * Wg + v] = sr;
        rowIm[a * Wg + v] = si;
      }
    }
    for (let u = 0; u < Hg; u++) {
      for (let v = 0; v < Wg; v++) {
        let sr = 0,
          si = 0;
        for (let a = 0; a < Sh; a++) {
          const [cr, ci] = twiddle(u * (a - Math.floor(Sh / 2)), Hg, -1);
          const xr = rowRe[a * Wg + v],
            xi = rowIm[a * Wg + v];
          sr += xr * cr - xi * ci;
          si += xr * ci + xi * cr;
        }
        outRe[(f * Hg + u) * Wg + v] = sr;
        outIm[(f * Hg + u) * Wg + v] = si;
      }
    }
  }
  return { re: outRe, im: outIm };
}

function writeOnnx(p: WaveletConvParams, h: number, w: number, x: string, b: OnnxBuilder): string {
  const g = waveletGeometry(p, h, w);
  if (isProblem(g)) throw new Error(g.message);
  const xp = g.pad
    ? onnxGatherPad(b, x, reflectIndices(h, g.pad.top, g.gridH), reflectIndices(w, g.pad.left, g.gridW))
    : x;
  const X = onnxDft2(b, xp, g.gridH, g.gridW);
  const S = windowSpectra(
    b.weight('psi_real').data,
    b.weight('psi_imag').data,
    g.Sh,
    g.Sw,
    g.filters,
    g.gridH,
    g.gridW,
  );
  const sr = b.constant(S.re, [g.filters, g.gridH, g.gridW]);
  const si = b.constant(S.im, [g.filters, g.gridH, g.gridW]);
  const axis = b.constant([2], [1], true);
  const xr = b.op('Unsqueeze', [X.re, axis])[0];
  const xi = b.op('Unsqueeze', [X.im, axis])[0];
  const mul = (a: string, c: string) => b.op('Mul', [a, c])[0];
  const Y = { re: b.op('Sub', [mul(xr, sr), mul(xi, si)])[0], im: b.op('Add', [mul(xr, si), mul(xi, sr)])[0] };
  const Z = onnxInverseAt(b, Y, g.gridH, g.gridW, g.rows, g.cols, false) as { re: string; im: string };
  const shape = b.constant([0, -1, g.rows.length, g.cols.length], [4], true);
  return b.op('Concat', [b.op('Reshape', [Z.re, shape])[0], b.op('Reshape', [Z.im, shape])[0]], { axis: 1 })[0];
}

export const waveletConvOnnx: OnnxWriter<WaveletConvParams> = {
  write({ params: p, inputs: specs }, inputs, b) {
    const [h, w] = specs.in[0].shape;
    return { out: writeOnnx(p, h, w, inputs.in[0], b) };
  },
};
