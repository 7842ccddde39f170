import { describe, expect, it } from 'vitest';
import { fairOrder, pickNext, queuePositions, type OwnerLoad, type WaitingJob } from './fair-order';

/** `count` jobs for each owner, all owners' jobs arriving in the order given (a1 a2 … b1 b2 …). */
function jobsOf(counts: Record<string, number>): WaitingJob[] {
  let at = 0;
  return Object.entries(counts).flatMap(([owner, count]) =>
    Array.from({ length: count }, (_, i) => ({ runId: `${owner}${i + 1}`, ownerId: owner, queuedAt: at++ })),
  );
}

const ids = (jobs: WaitingJob[]) => jobs.map((j) => j.runId);

describe('fairOrder', () => {
  it('takes turns between users, so one user\'s many jobs do not hold up the others', () => {
    const order = fairOrder(jobsOf({ a: 4, b: 2, c: 1 }), new Map());
    expect(ids(order)).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3', 'a4']);
  });

  it('serves users with nothing training before users who already have a run going', () => {
    const loads = new Map<string, OwnerLoad>([['a', { running: 1, lastStartedAt: 5 }]]);
    expect(ids(fairOrder(jobsOf({ a: 2, b: 1 }), loads))).toEqual(['b1', 'a1', 'a2']);
  });

  it('among equally busy users, gives the turn to the one served longest ago', () => {
    const loads = new Map<string, OwnerLoad>([
      ['a', { running: 0, lastStartedAt: 100 }],
      ['b', { running: 0, lastStartedAt: 50 }],
    ]);
    expect(ids(fairOrder(jobsOf({ a: 1, b: 1, c: 1 }), loads))).toEqual(['c1', 'b1', 'a1']);
  });

  it('keeps each user\'s own jobs in the order they pressed Train', () => {
    const waiting: WaitingJob[] = [
      { runId: 'late', ownerId: 'a', queuedAt: 9 },
      { runId: 'early', ownerId: 'a', queuedAt: 1 },
    ];
    expect(ids(fairOrder(waiting, new Map()))).toEqual(['early', 'late']);
  });
});

describe('pickNext', () => {
  it('skips users who are at their running limit', () => {
    const loads = new Map<string, OwnerLoad>([['a', { running: 1, lastStartedAt: 1 }]]);
    expect(pickNext(jobsOf({ a: 3, b: 1 }), loads, 1)?.runId).toBe('b1');
    expect(pickNext(jobsOf({ a: 3 }), loads, 1)).toBeUndefined();
    expect(pickNext(jobsOf({ a: 3 }), loads, 2)?.runId).toBe('a1');
  });
});

describe('queuePositions', () => {
  it('counts the jobs that go before each one', () => {
    const positions = queuePositions(jobsOf({ a: 2, b: 1 }), new Map());
    expect(Object.fromEntries(positions)).toEqual({ a1: 0, b1: 1, a2: 2 });
  });
});
