/**
 * The order in which waiting training jobs are handed to workers. Kept pure so that the
 * in-memory queue, the PostgreSQL queue and the "position k" shown to students all agree.
 *
 * Rule: each turn goes to the user with the fewest runs training now; among those, the one
 * served longest ago (never served first); that user's oldest waiting job goes. So one
 * student's ten jobs take turns with everyone else's instead of blocking them.
 */
export interface WaitingJob {
  runId: string;
  ownerId: string;
  /** When it joined the line; ties are broken by runId so the order is stable. */
  queuedAt: number;
}

export interface OwnerLoad {
  /** Jobs of this user being trained right now. */
  running: number;
  /** When one of this user's jobs last started, or null when none has. */
  lastStartedAt: number | null;
}

export type OwnerLoads = ReadonlyMap<string, OwnerLoad>;

const IDLE: OwnerLoad = { running: 0, lastStartedAt: null };

/** The waiting jobs in the order they will be taken, assuming nothing finishes meanwhile. */
export function fairOrder(waiting: readonly WaitingJob[], loads: OwnerLoads): WaitingJob[] {
  const lines = new Map<string, WaitingJob[]>();
  for (const job of [...waiting].sort(byArrival)) {
    const line = lines.get(job.ownerId) ?? [];
    line.push(job);
    lines.set(job.ownerId, line);
  }
  const load = new Map<string, OwnerLoad>();
  for (const owner of lines.keys()) load.set(owner, { ...(loads.get(owner) ?? IDLE) });

  const order: WaitingJob[] = [];
  // Turns handed out in this simulation count as later than any real start.
  let turn = Number.MAX_SAFE_INTEGER - waiting.length;
  while (order.length < waiting.length) {
    let next: string | null = null;
    for (const owner of lines.keys()) {
      if (lines.get(owner)!.length === 0) continue;
      if (next === null || compareOwners(owner, next, load, lines) < 0) next = owner;
    }
    const job = lines.get(next!)!.shift()!;
    order.push(job);
    const owner = load.get(next!)!;
    owner.running += 1;
    owner.lastStartedAt = turn++;
  }
  return order;
}

/** The next job a worker may take: the first in fair order whose owner is under the running limit. */
export function pickNext(waiting: readonly WaitingJob[], loads: OwnerLoads, maxRunningPerUser: number): WaitingJob | undefined {
  return fairOrder(waiting, loads).find((job) => (loads.get(job.ownerId)?.running ?? 0) < maxRunningPerUser);
}

/** How many jobs are ahead of each waiting job (0: it goes next). */
export function queuePositions(waiting: readonly WaitingJob[], loads: OwnerLoads): Map<string, number> {
  return new Map(fairOrder(waiting, loads).map((job, index) => [job.runId, index]));
}

function compareOwners(a: string, b: string, load: Map<string, OwnerLoad>, lines: Map<string, WaitingJob[]>): number {
  const la = load.get(a)!;
  const lb = load.get(b)!;
  if (la.running !== lb.running) return la.running - lb.running;
  const sa = la.lastStartedAt ?? -Infinity;
  const sb = lb.lastStartedAt ?? -Infinity;
  if (sa !== sb) return sa < sb ? -1 : 1;
  return byArrival(lines.get(a)![0]!, lines.get(b)![0]!);
}

function byArrival(a: WaitingJob, b: WaitingJob): number {
  return a.queuedAt - b.queuedAt || (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0);
}
