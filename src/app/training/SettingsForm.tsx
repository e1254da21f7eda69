/** Dataset, optimizer and run settings. Numbers are kept as typed and checked on start. */
import type { LearningRateSchedule } from '../../../compiler/4-train';
import type { ServerDataset } from '../../data/browser';
import { TRAINING_LIMITS } from '../../../document/graph';

export interface PanelSettings {
  /** 'synthetic', 'server:<name>' or 'upload'. */
  dataset: string;
  optimizer: 'adam' | 'sgd';
  learningRate: string;
  schedule: LearningRateSchedule;
  batchSize: string;
  epochs: string;
  seed: string;
  /** Training samples to use; empty for all. */
  samples: string;
  backend: string;
}

export interface Upload {
  name: string;
  bytes: ArrayBuffer;
}

const BACKENDS = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

export function SettingsForm(props: {
  value: PanelSettings;
  onChange(next: PanelSettings): void;
  /** Why the dataset selected is not the one the graph asks for. */
  datasetNote?: string;
  /** The server's datasets are known (until then the graph's own dataset may not be selectable). */
  datasetsListed: boolean;
  serverDatasets: ServerDataset[];
  uploads: Upload[];
  onUpload(files: FileList): void;
  disabled: boolean;
}) {
  const { value: v, onChange, datasetNote, datasetsListed, serverDatasets, uploads, onUpload, disabled } = props;
  const set =
    <K extends keyof PanelSettings>(k: K) =>
    (e: { target: { value: string } }) =>
      onChange({ ...v, [k]: e.target.value as PanelSettings[K] });
  return (
    <div className="train-settings">
      <label>
        dataset
        <select
          value={v.dataset}
          onChange={set('dataset')}
          disabled={disabled}
          data-testid="train-dataset"
          data-listed={datasetsListed || undefined}
        >
          <option value="synthetic">synthetic (built in)</option>
          {serverDatasets.map((d) => (
            <option key={d.name} value={`server:${d.name}`}>
              {d.name} (server)
            </option>
          ))}
          <option value="upload">upload files…</option>
        </select>
      </label>
      {datasetNote && (
        <p className="dataset-note" data-testid="train-dataset-note">
          {datasetNote}
        </p>
      )}
      {v.dataset === 'upload' && (
        <label
          className="upload"
          title="Four IDX files (train/t10k images and labels, .gz or raw) or CIFAR-10 binary batches (data_batch_N.bin and test_batch.bin)"
        >
          files
          <input
            type="file"
            multiple
            disabled={disabled}
            data-testid="train-upload"
            onChange={(e) => e.target.files && onUpload(e.target.files)}
          />
          <span className="muted">
            {uploads.length ? uploads.map((u) => u.name).join(', ') : 'IDX ×4 or CIFAR-10 .bin'}
          </span>
        </label>
      )}
      <label>
        samples
        <input
          value={v.samples}
          onChange={set('samples')}
          disabled={disabled}
          placeholder="all"
          size={5}
          data-testid="train-samples"
          title="Training samples to use (empty: all). With the synthetic set, the test set shrinks in proportion (6:1, at least 100)."
        />
      </label>
      <label>
        optimizer
        <select value={v.optimizer} onChange={set('optimizer')} disabled={disabled} data-testid="train-optimizer">
          <option value="adam">adam</option>
          <option value="sgd">sgd (momentum 0.9)</option>
        </select>
      </label>
      <label>
        learning rate
        <input
          value={v.learningRate}
          onChange={set('learningRate')}
          disabled={disabled}
          size={6}
          data-testid="train-lr"
        />
      </label>
      <ScheduleField value={v.schedule} onChange={set('schedule')} disabled={disabled} testId="train-schedule" />
      <label>
        batch
        <input value={v.batchSize} onChange={set('batchSize')} disabled={disabled} size={4} data-testid="train-batch" />
      </label>
      <label>
        epochs
        <input value={v.epochs} onChange={set('epochs')} disabled={disabled} size={3} data-testid="train-epochs" />
      </label>
      <label>
        seed
        <input value={v.seed} onChange={set('seed')} disabled={disabled} size={4} data-testid="train-seed" />
      </label>
      <label>
        backend
        <select value={v.backend} onChange={set('backend')} disabled={disabled} data-testid="train-backend">
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

/** The learning-rate schedule select, shared with the research settings. */
export function ScheduleField(props: {
  value: PanelSettings['schedule'];
  onChange(e: { target: { value: string } }): void;
  disabled: boolean;
  testId: string;
}) {
  return (
    <label title="constant: the same rate throughout; cosine: anneal it to 0 by the last step (steadier final accuracy)">
      schedule
      <select
        value={props.value ?? 'constant'}
        onChange={props.onChange}
        disabled={props.disabled}
        data-testid={props.testId}
      >
        <option value="constant">constant</option>
        <option value="cosine">cosine to 0</option>
      </select>
    </label>
  );
}

/** Checked numbers, or the first problem in words. */
export function parseSettings(
  v: PanelSettings,
):
  | { ok: true; lr: number; batch: number; epochs: number; seed: number; samples?: number }
  | { ok: false; problem: string } {
  const lr = Number(v.learningRate);
  const batch = Number(v.batchSize);
  const epochs = Number(v.epochs);
  const seed = Number(v.seed);
  const samples = v.samples.trim() === '' ? undefined : Number(v.samples);
  const { maxLearningRate, maxBatchSize, maxEpochs } = TRAINING_LIMITS;
  if (!(lr > 0) || !(lr <= maxLearningRate))
    return {
      ok: false,
      problem: `The learning rate must be a positive number up to ${maxLearningRate}, not "${v.learningRate}".`,
    };
  if (!Number.isInteger(batch) || batch < 1 || batch > maxBatchSize)
    return {
      ok: false,
      problem: `The batch size must be a whole number from 1 to ${maxBatchSize}, not "${v.batchSize}".`,
    };
  if (!Number.isInteger(epochs) || epochs < 1 || epochs > maxEpochs)
    return { ok: false, problem: `Epochs must be a whole number from 1 to ${maxEpochs}, not "${v.epochs}".` };
  if (!Number.isInteger(seed)) return { ok: false, problem: `The seed must be a whole number, not "${v.seed}".` };
  if (samples !== undefined && (!Number.isInteger(samples) || samples < 1))
    return { ok: false, problem: `Samples must be a positive whole number or empty (all), not "${v.samples}".` };
  return { ok: true, lr, batch, epochs, seed, samples };
}
