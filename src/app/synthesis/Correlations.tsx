/**
 * Why the non-linearity matters, drawn: the correlation matrices over (scale j,
 * orientation l) of a field's wavelet coefficients, before the modulus and after it,
 * for the target, the Gaussian sample and the maximum-entropy sample. Channels are
 * ordered scale-major, so blocks off the diagonal are pairs of different scales: dark
 * before the modulus (bands that barely overlap), bright after it where the field has
 * structure, and dark again for the Gaussian field, which has none.
 */
import { useEffect, useRef } from 'react';
import { acrossScales, type CorrelationMatrices } from '../../synthesis/correlations';

export type CorrelationFields = Partial<Record<'target' | 'gaussian' | 'sample', CorrelationMatrices>>;

const LABELS = { target: 'target', gaussian: 'Gaussian', sample: 'maximum entropy' } as const;

function Matrix({ m, J, L, label, testId }: { m: Float32Array; J: number; L: number; label: string; testId: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const F = J * L;
  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    const img = new ImageData(F, F);
    for (let i = 0; i < F * F; i++) {
      const v = Math.round(255 * Math.min(1, Math.max(0, m[i])));
      img.data.set([v, Math.round(v * 0.85), Math.round(255 * Math.min(1, m[i] * 0.4)), 255], 4 * i);
    }
    ctx.putImageData(img, 0, 0);
  }, [m, F]);
  // Mean |corr| between channels two or more octaves apart (neighbouring Morlet bands overlap a little).
  const across = acrossScales(m, J, L, 2);
  return (
    <figure>
      <canvas
        ref={canvas}
        width={F}
        height={F}
        className="correlation-matrix"
        data-testid={testId}
        role="img"
        aria-label={`${label}: mean correlation across scales ${across.toFixed(2)}`}
      />
      <figcaption>
        {label}
        <br />
        across scales <b data-testid={`${testId}-across`}>{across.toFixed(2)}</b>
      </figcaption>
    </figure>
  );
}

export function Correlations({ fields }: { fields: CorrelationFields }) {
  const shown = (['target', 'gaussian', 'sample'] as const).filter((k) => fields[k]);
  if (!shown.length) return null;
  const { J, L } = fields[shown[0]]!;
  return (
    <div className="synthesis-correlations" data-testid="synthesis-correlations">
      <p className="muted small">
        |correlation| between wavelet channels (scale-major: {J} scales × {L} orientations), before and after the
        modulus. Wavelet coefficients at different scales are nearly uncorrelated; their moduli are not, wherever the
        field has geometry: these cross-scale correlations are what the phase-harmonic moments match.
      </p>
      <div className="synthesis-fields">
        {shown.map((k) => (
          <div key={k} className="correlation-pair">
            <Matrix m={fields[k]!.linear} J={J} L={L} label={`${LABELS[k]}: x ⊛ ψ`} testId={`corr-${k}-linear`} />
            <Matrix m={fields[k]!.modulus} J={J} L={L} label={`${LABELS[k]}: |x ⊛ ψ|`} testId={`corr-${k}-modulus`} />
          </div>
        ))}
      </div>
    </div>
  );
}
