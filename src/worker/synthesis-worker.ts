/**
 * The synthesis worker: the optimization of the pixels runs here, off the canvas's
 * thread, on the browser backend the user picked (WebGPU, WebGL, WASM or CPU).
 */
import { initBrowserBackend, tf } from '../platform/tf-browser';
import type { TF } from '../../nodes/types';
import { SynthesisSession, type SynthesisMessage, type SynthesisRequest } from '../synthesis/session';

type ToSynthesis = (SynthesisRequest & { backend: string }) | { type: 'stop' };

const scope = self as unknown as {
  postMessage(msg: SynthesisMessage | { type: 'backend'; backend: string }): void;
  onmessage: ((e: MessageEvent<ToSynthesis>) => void) | null;
};

let current: SynthesisSession | undefined;

scope.onmessage = async (e) => {
  const msg = e.data;
  if (msg.type === 'stop') {
    if (current) current.stop = true;
    return;
  }
  const choice = await initBrowserBackend(msg.backend);
  scope.postMessage({ type: 'backend', backend: choice.ok ? choice.backend : 'none' });
  if (!choice.ok) {
    scope.postMessage({
      type: 'synthesis-diagnostics',
      diagnostics: [
        {
          code: 'backend-unavailable',
          severity: 'error',
          message: `No TensorFlow.js backend could start (asked for "${msg.backend}").`,
          fix: 'Choose "auto" or another backend.',
        },
      ],
    });
    scope.postMessage({ type: 'synthesis-done', status: 'failed' });
    return;
  }
  if (current) current.stop = true;
  const session = new SynthesisSession(tf as unknown as TF, (m) => scope.postMessage(m));
  current = session;
  try {
    await session.run(msg);
  } catch (err) {
    scope.postMessage({
      type: 'synthesis-diagnostics',
      diagnostics: [
        {
          code: 'lower-failed',
          severity: 'error',
          message: `Synthesis could not run: ${err instanceof Error ? err.message : String(err)}.`,
        },
      ],
    });
    scope.postMessage({ type: 'synthesis-done', status: 'failed' });
  }
};
