import { describe, expect, it } from 'vitest';
import { paced } from './time-left';

describe("a progress bar's pace", () => {
  it('keeps its pace while it counts the same thing, and restarts it when it counts something else', () => {
    const a = paced(undefined, { what: 'Training "A" (1 of 2)', done: 0.2, total: 2 }, 1000);
    expect(a.since).toEqual({ time: 1000, done: 0.2 });
    // Network 2 of 2: the text changes, the units do not.
    const b = paced(a, { what: 'Training "B" (2 of 2)', done: 1.1, total: 2 }, 5000);
    expect(b.since).toEqual(a.since);
    // B's front end counts images: a new pace.
    const c = paced(b, { what: '"B": computing the fixed front end (images)', done: 500, total: 70000 }, 6000);
    expect(c.since).toEqual({ time: 6000, done: 500 });
    // A new job that starts over: the count went back.
    const d = paced(c, { what: 'other', done: 100, total: 70000 }, 7000);
    expect(d.since).toEqual({ time: 7000, done: 100 });
  });
});
