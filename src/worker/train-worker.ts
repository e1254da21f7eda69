/**
 * The training worker: all tensor work happens here, so the canvas never waits for
 * a training step. The panel talks to it with the messages in protocol.ts.
 */
import { browserPlatform, initBrowserBackend, tf, wasmThreads } from '../platform/tf-browser';
import type { TF } from '../../nodes/types';
import type { FromWorker, ToWorker } from './protocol';
import { Session } from './session';
import { isResearchMessage } from './research-protocol';
import { ResearchSession } from './research-session';
import { featureStore } from '../data/feature-store';
import { browserKernels } from './scatter-pool';

const scope = self as unknown as {
  postMessage(msg: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
};

function post(msg: FromWorker, transfer: Transferable[] = []): void {
  scope.postMessage(msg, transfer);
}

let chosenFor: string | undefined;
const featureCache = typeof indexedDB === 'undefined' ? undefined : featureStore();

async function initBackend(preference: string): Promise<string | undefined> {
  // Switching backends drops tensors of the old one; only do it when the choice changes.
  if (chosenFor === preference && tf.getBackend()) {
    post({ type: 'backend', backend: tf.getBackend(), fallbacks: [], wasm: await wasmThreads() });
    return tf.getBackend();
  }
  const choice = await initBrowserBackend(preference);
  post({
    type: 'backend',
    backend: choice.ok ? choice.backend : 'none',
    fallbacks: choice.fallbacks,
    wasm: choice.ok ? await wasmThreads() : undefined,
  });
  if (!choice.ok) return undefined;
  chosenFor = preference;
  return choice.backend;
}

let current: { session: Session; done: Promise<void> } | undefined;
const research = new ResearchSession({ tf: tf as unknown as TF, platform: browserPlatform, post, initBackend });

scope.onmessage = (e) => {
  const msg = e.data;
  if (isResearchMessage(msg)) return research.handle(msg);
  switch (msg.type) {
    case 'start': {
      const previous = current;
      const session = new Session({
        tf: tf as unknown as TF,
        platform: browserPlatform,
        post,
        initBackend,
        featureCache,
        kernels: browserKernels,
      });
      const done = (async () => {
        if (previous) {
          previous.session.control.stop = true;
          await previous.done;
          previous.session.dispose();
        }
        try {
          await session.run(msg);
        } catch (err) {
          post({
            type: 'diagnostics',
            diagnostics: [
              {
                code: 'lower-failed',
                severity: 'error',
                message: `Training could not run: ${err instanceof Error ? err.message : String(err)}.`,
              },
            ],
          });
          post({ type: 'done', status: 'failed', finalTestAcc: NaN });
        }
      })();
      current = { session, done };
      break;
    }
    case 'pause':
      if (current) current.session.control.paused = true;
      if (current) post({ type: 'status', phase: 'paused', message: 'Paused.' });
      break;
    case 'resume':
      if (current) current.session.control.paused = false;
      if (current) post({ type: 'status', phase: 'training', message: 'Training…' });
      break;
    case 'stop':
      if (current) current.session.control.stop = true;
      break;
    case 'feature-maps':
      if (current) void current.session.featureMaps(msg.nodeId, msg.index);
      else
        post({
          type: 'diagnostics',
          diagnostics: [
            {
              code: 'bad-argument',
              severity: 'info',
              message: 'Train the graph first: feature maps come from the trained model.',
            },
          ],
        });
      break;
    case 'verify':
      if (current) void current.session.verify(msg.nodeId, msg.count);
      else
        post({
          type: 'diagnostics',
          diagnostics: [
            {
              code: 'bad-argument',
              severity: 'info',
              message: 'Train the graph first: the check compares the trained model on two backends.',
            },
          ],
        });
      break;
  }
};
