import type { EpochMetrics, RunEvent, RunStatus } from '../../server/training/protocol';

/**
 * What the page knows about one training run, built either from a stored run summary
 * (after a reload) or by folding the live `run.events` stream into it. Pure, so the
 * progress display can be tested without a server.
 */
export interface RunView {
  runId: string;
  status: RunStatus;
  backend: string | null;
  /** How many runs are ahead of this one in the queue (0: it goes next); null when unknown. */
  queuePosition: number | null;
  /** Why a run failed or was cancelled, in the server's words. */
  message: string | null;
  epoch: number;
  epochs: number;
  batch: number;
  batchesPerEpoch: number;
  /** 0..1 over the whole run. */
  progress: number;
  etaSeconds: number | null;
  samplesPerSec: number | null;
  /** Per-batch training curve; x is in epochs (1.5 = halfway through epoch 2). */
  batchPoints: BatchPoint[];
  epochMetrics: EpochMetrics[];
  testAccuracy: number | null;
  testLoss: number | null;
  createdAt: string | null;
  /** What the student should know about how the run went (stopped early, carried on elsewhere), oldest first. */
  notes: string[];
}

export interface BatchPoint {
  x: number;
  loss: number;
  accuracy: number;
}

/** The fields of the server's RunSummary this page reads. */
export interface StoredRun {
  id: string;
  status: RunStatus;
  backend: string | null;
  error: string | null;
  testAccuracy: number | null;
  testLoss: number | null;
  samplesPerSec: number | null;
  epochs: EpochMetrics[];
  training: { epochs: number };
  createdAt: string | Date;
  notes?: string[];
}

/** Enough points for a smooth curve; more would only slow the chart down on a phone. */
export const MAX_BATCH_POINTS = 400;

export const FINISHED: ReadonlySet<RunStatus> = new Set(['succeeded', 'failed', 'cancelled']);

export function isFinished(run: RunView): boolean {
  return FINISHED.has(run.status);
}

export function newRunView(runId: string, epochs: number, queuePosition: number | null = null): RunView {
  return {
    runId,
    status: 'queued',
    backend: null,
    queuePosition,
    message: null,
    epoch: 0,
    epochs,
    batch: 0,
    batchesPerEpoch: 0,
    progress: 0,
    etaSeconds: null,
    samplesPerSec: null,
    batchPoints: [],
    epochMetrics: [],
    testAccuracy: null,
    testLoss: null,
    createdAt: null,
    notes: [],
  };
}

export function runViewFromStored(run: StoredRun): RunView {
  const done = run.status === 'succeeded';
  return {
    ...newRunView(run.id, run.training.epochs),
    status: run.status,
    backend: run.backend,
    message: run.error,
    epoch: run.epochs.length,
    progress: done ? 1 : 0,
    samplesPerSec: run.samplesPerSec,
    epochMetrics: [...run.epochs].sort((a, b) => a.epoch - b.epoch),
    testAccuracy: run.testAccuracy,
    testLoss: run.testLoss,
    createdAt: typeof run.createdAt === 'string' ? run.createdAt : run.createdAt.toISOString(),
    notes: run.notes ?? [],
  };
}

export function applyRunEvent(run: RunView, event: RunEvent): RunView {
  switch (event.type) {
    case 'status':
      return {
        ...run,
        status: event.status,
        backend: event.backend ?? run.backend,
        queuePosition: event.status === 'queued' ? (event.queuePosition ?? run.queuePosition) : null,
        message: event.message ?? (FINISHED.has(event.status) ? run.message : null),
        etaSeconds: FINISHED.has(event.status) ? null : run.etaSeconds,
      };
    case 'batch':
      return {
        ...run,
        // A batch proves the run is going, even if its 'running' status was missed on reconnect.
        status: FINISHED.has(run.status) ? run.status : 'running',
        queuePosition: null,
        epoch: event.epoch,
        epochs: event.epochs,
        batch: event.batch,
        batchesPerEpoch: event.batchesPerEpoch,
        progress: clamp01(event.progress),
        etaSeconds: event.etaSeconds,
        samplesPerSec: event.samplesPerSec,
        batchPoints: appendPoint(run.batchPoints, {
          x: event.epoch - 1 + event.batch / Math.max(1, event.batchesPerEpoch),
          loss: event.loss,
          accuracy: event.accuracy,
        }),
      };
    case 'epoch': {
      const { type: _type, ...metrics } = event;
      const others = run.epochMetrics.filter((m) => m.epoch !== metrics.epoch);
      return { ...run, epochMetrics: [...others, metrics].sort((a, b) => a.epoch - b.epoch) };
    }
    case 'note':
      // A page that reconnects hears the stored notes again.
      return run.notes.includes(event.text) ? run : { ...run, notes: [...run.notes, event.text] };
    case 'done':
      return {
        ...run,
        status: 'succeeded',
        progress: 1,
        etaSeconds: null,
        testAccuracy: event.testAccuracy,
        testLoss: event.testLoss,
        samplesPerSec: event.samplesPerSec,
      };
  }
}

/** Halves the resolution when full, so a long run keeps its whole history at a bounded size. */
function appendPoint(points: BatchPoint[], point: BatchPoint): BatchPoint[] {
  if (!Number.isFinite(point.loss)) return points;
  const next = [...points, point];
  return next.length > MAX_BATCH_POINTS ? next.filter((_, i) => i % 2 === 0 || i === next.length - 1) : next;
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, Number.isFinite(value) ? value : 0));
}

/** "about 40 s left", rounded so the number does not flicker on every batch. */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return 'estimating time left…';
  if (seconds < 5) return 'almost done';
  if (seconds < 60) return `about ${Math.round(seconds / 5) * 5} s left`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  return `about ${hours} h ${minutes % 60} min left`;
}

export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

export function formatNumber(value: number): string {
  return new Intl.NumberFormat('en').format(Math.round(value));
}

/** One sentence a student can read at a glance. */
export function describeStatus(run: RunView): string {
  switch (run.status) {
    case 'queued':
      // queuePosition counts the runs ahead of this one (0: it goes next).
      if (run.queuePosition === null) return 'Waiting for a free trainer…';
      if (run.queuePosition <= 0) return 'Waiting in line: your run is next.';
      return `Waiting in line: ${run.queuePosition} ${run.queuePosition === 1 ? 'run' : 'runs'} ahead of yours.`;
    case 'running': {
      // A note from the trainer (carrying on after a lost computer) matters more than where it trains.
      if (run.message) return run.backend ? `${run.message} Training on ${run.backend}.` : run.message;
      return run.backend ? `Training on ${run.backend}` : 'Training…';
    }
    case 'succeeded':
      // e.g. why it ended before its last epoch (early stopping).
      return run.message ? `Training finished. ${run.message}` : 'Training finished.';
    case 'failed':
      return run.message ? `Training stopped with an error: ${run.message}` : 'Training stopped with an error.';
    case 'cancelled':
      return 'Training was cancelled.';
  }
}

/** The chart's lines; the legend and the plot read the same table so they always agree. */
export const SERIES_COLORS = {
  'training (batches)': '#a5b4fc',
  'training (epoch)': '#4f46e5',
  validation: '#0d9488',
} as const;
export type Series = keyof typeof SERIES_COLORS;

export interface ChartPoint {
  x: number;
  value: number;
  metric: 'Loss' | 'Accuracy';
  series: Series;
}

/** Long-form rows for the loss/accuracy chart: per-batch training curves plus per-epoch points. */
export function chartPoints(run: RunView): ChartPoint[] {
  const points: ChartPoint[] = [];
  for (const p of run.batchPoints) {
    points.push({ x: p.x, value: p.loss, metric: 'Loss', series: 'training (batches)' });
    points.push({ x: p.x, value: p.accuracy, metric: 'Accuracy', series: 'training (batches)' });
  }
  for (const m of run.epochMetrics) {
    points.push({ x: m.epoch, value: m.loss, metric: 'Loss', series: 'training (epoch)' });
    points.push({ x: m.epoch, value: m.accuracy, metric: 'Accuracy', series: 'training (epoch)' });
    if (m.valLoss !== null) points.push({ x: m.epoch, value: m.valLoss, metric: 'Loss', series: 'validation' });
    if (m.valAccuracy !== null) points.push({ x: m.epoch, value: m.valAccuracy, metric: 'Accuracy', series: 'validation' });
  }
  return points.filter((p) => Number.isFinite(p.value));
}
