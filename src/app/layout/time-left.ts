/** "about 3 min 20 s left" for progress bars: the pace since a starting point, carried forward. */

export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '…';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

/** A count on a progress bar, and where its pace is measured from. */
export interface Paced {
  done: number;
  total: number;
  since: { time: number; done: number };
}

/**
 * The count `w` with its pace: kept while the bar counts the same thing, restarted when
 * it starts counting something else (a front end's images, then networks; or a count
 * that went back), not when only its text changes (network 2 of 3 after network 1).
 */
export function paced<W extends { done: number; total: number }>(
  prev: Paced | undefined,
  w: W,
  now: number,
): W & Pick<Paced, 'since'> {
  const same = prev && prev.total === w.total && w.done >= prev.done;
  return { ...w, since: same ? prev.since : { time: now, done: w.done } };
}

/** Time left at the pace since `since`, or '' before there is a pace to go by. */
export function timeLeft(
  since: { time: number; done: number } | undefined,
  done: number,
  total: number,
  now = performance.now(),
): string {
  if (!since || done <= since.done) return '';
  const per = (now - since.time) / 1000 / (done - since.done);
  return `about ${duration(per * (total - done))} left`;
}
