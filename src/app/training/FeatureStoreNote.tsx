/**
 * How much this browser keeps of computed front ends (data/feature-store.ts), with a
 * button to clear it. Read again whenever a run ends, since a run may have added one.
 */
import { useEffect, useState } from 'react';
import { clearFeatureStore, featureStoreUsage } from '../../data/feature-store';

export function FeatureStoreNote({ phase }: { phase: string }) {
  const [usage, setUsage] = useState<{ entries: number; bytes: number } | null>(null);
  const refresh = () => void featureStoreUsage().then(setUsage);
  const done = phase === 'done';
  useEffect(() => void featureStoreUsage().then(setUsage), [done]);
  if (!usage) return null;
  return (
    <span
      className="feature-store"
      data-testid="feature-store"
      title="Fixed front ends (a wired scattering, say) computed once and kept in this browser, so the next run and a reload skip them."
    >
      {usage.entries ? `Stored front ends: ${(usage.bytes / 1024 ** 2).toFixed(1)} MB` : 'Nothing stored yet'}
      {usage.entries > 0 && (
        <button
          onClick={() => void clearFeatureStore().then(refresh)}
          data-testid="feature-store-clear"
          disabled={phase !== 'done' && phase !== 'idle'}
        >
          Clear
        </button>
      )}
    </span>
  );
}
