/**
 * The data and training settings every research instrument shares. One A/B run,
 * sweep or probe reads the same data with the same seed, so they are set once here.
 */
import type { TrainSettings } from '../../../compiler/4-train';
import type { ServerDataset } from '../../data/browser';
import type { DatasetSpec } from '../../worker/protocol';
import { parseSettings, ScheduleField, type PanelSettings } from '../training/SettingsForm';

export type ResearchSettingsValue = Omit<PanelSettings, 'dataset'> & { dataset: string };

export const DEFAULT_SETTINGS: ResearchSettingsValue = {
  dataset: 'synthetic',
  optimizer: 'adam',
  learningRate: '0.003',
  schedule: 'constant',
  batchSize: '32',
  epochs: '1',
  seed: '1',
  samples: '1024',
  backend: 'auto',
};

export type Resolved =
  { ok: true; dataset: DatasetSpec; backend: string; settings: TrainSettings } | { ok: false; problem: string };

export function resolveSettings(v: ResearchSettingsValue): Resolved {
  const p = parseSettings(v);
  if (!p.ok) return p;
  let dataset: DatasetSpec;
  if (v.dataset === 'synthetic') {
    const train = p.samples === undefined ? undefined : Math.min(p.samples, 6000);
    // The synthetic test set keeps its 6:1 proportion, at least 100 images.
    dataset = {
      kind: 'synthetic',
      train,
      test: train === undefined ? undefined : Math.max(100, Math.min(1000, Math.ceil(train / 6))),
    };
  } else dataset = { kind: 'server', name: v.dataset.slice('server:'.length), limit: p.samples };
  return {
    ok: true,
    dataset,
    backend: v.backend,
    settings: {
      optimizer: v.optimizer,
      learningRate: p.lr,
      schedule: v.schedule,
      momentum: 0.9,
      batchSize: p.batch,
      epochs: p.epochs,
      seed: p.seed,
      logEvery: 1,
    },
  };
}

const BACKENDS = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

export function ResearchSettings({
  value: v,
  onChange,
  serverDatasets,
  disabled,
}: {
  value: ResearchSettingsValue;
  onChange(v: ResearchSettingsValue): void;
  serverDatasets: ServerDataset[];
  disabled: boolean;
}) {
  const set = (k: keyof ResearchSettingsValue) => (e: { target: { value: string } }) =>
    onChange({ ...v, [k]: e.target.value });
  const field = (k: keyof ResearchSettingsValue, label: string, size: number, title?: string) => (
    <label title={title}>
      {label}
      <input value={v[k]} onChange={set(k)} disabled={disabled} size={size} data-testid={`research-${k}`} />
    </label>
  );
  return (
    <div className="train-settings research-settings">
      <label>
        dataset
        <select value={v.dataset} onChange={set('dataset')} disabled={disabled} data-testid="research-dataset">
          <option value="synthetic">synthetic (built in)</option>
          {serverDatasets.map((d) => (
            <option key={d.name} value={`server:${d.name}`}>
              {d.name} (server)
            </option>
          ))}
        </select>
      </label>
      {field('samples', 'samples', 5, 'Training samples (empty: all)')}
      <label>
        optimizer
        <select value={v.optimizer} onChange={set('optimizer')} disabled={disabled} data-testid="research-optimizer">
          <option value="adam">adam</option>
          <option value="sgd">sgd</option>
        </select>
      </label>
      {field('learningRate', 'learning rate', 6)}
      <ScheduleField value={v.schedule} onChange={set('schedule')} disabled={disabled} testId="research-schedule" />
      {field('batchSize', 'batch', 4)}
      {field('epochs', 'epochs', 3)}
      {field('seed', 'seed', 4, 'The same seed for every run: same initialization and data order')}
      <label>
        backend
        <select value={v.backend} onChange={set('backend')} disabled={disabled} data-testid="research-backend">
          {BACKENDS.map((b) => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
