/**
 * "Does this backend compute what the CPU computes?": the selected node's output for a
 * few test images, recomputed on the CPU backend from the same weights.
 */
import type { VerifyReply } from '../../worker/protocol';

export function BackendCheck({ reply, onCheck }: { reply?: VerifyReply; onCheck: () => void }) {
  return (
    <div className="backend-check">
      <button type="button" data-testid="verify-button" onClick={onCheck}>
        Check against the CPU backend
      </button>
      {reply && (
        <span
          data-testid="verify-result"
          data-rel-error={reply.relError}
          className={reply.relError < 1e-4 ? 'ok' : 'warn'}
        >
          {reply.nodeId} on {reply.backend} vs cpu, {reply.count} images: relative error{' '}
          {reply.relError.toExponential(1)} (max |difference| {reply.maxAbsError.toExponential(1)})
        </span>
      )}
    </div>
  );
}
