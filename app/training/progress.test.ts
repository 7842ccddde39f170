import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../server/training/protocol';
import {
  MAX_BATCH_POINTS, applyRunEvent, chartPoints, describeStatus, formatEta, formatPercent, newRunView, runViewFromStored,
} from './progress';

const batch = (epoch: number, b: number, extra: Partial<Extract<RunEvent, { type: 'batch' }>> = {}): RunEvent => ({
  type: 'batch', epoch, epochs: 3, batch: b, batchesPerEpoch: 10, loss: 1 / (epoch * b), accuracy: 0.5,
  samplesPerSec: 1200, progress: ((epoch - 1) * 10 + b) / 30, etaSeconds: 42, ...extra,
});

const fold = (events: RunEvent[]) => events.reduce(applyRunEvent, newRunView('r1', 3, 2));

describe('live run progress', () => {
  it('shows the queue position while waiting, then the backend while running', () => {
    const queued = fold([{ type: 'status', status: 'queued', queuePosition: 3 }]);
    expect(describeStatus(queued)).toBe('Waiting in line: 3 runs ahead of yours.');
    expect(describeStatus(fold([{ type: 'status', status: 'queued', queuePosition: 1 }]))).toBe('Waiting in line: 1 run ahead of yours.');
    const next = fold([{ type: 'status', status: 'queued', queuePosition: 0 }]);
    expect(describeStatus(next)).toBe('Waiting in line: your run is next.');
    // The stored status replayed on (re)connect has no position: keep the last one known.
    expect(describeStatus(applyRunEvent(next, { type: 'status', status: 'queued' }))).toBe('Waiting in line: your run is next.');
    const running = fold([{ type: 'status', status: 'running', backend: 'tensorflow (CPU)' }]);
    expect(running.queuePosition).toBeNull();
    expect(describeStatus(running)).toBe('Training on tensorflow (CPU)');
  });

  it('tracks epoch, batch, progress, speed and time left from batch events', () => {
    const run = fold([{ type: 'status', status: 'running', backend: 'cpu' }, batch(1, 10), batch(2, 5, { etaSeconds: 12 })]);
    expect(run).toMatchObject({ epoch: 2, epochs: 3, batch: 5, batchesPerEpoch: 10, samplesPerSec: 1200, etaSeconds: 12 });
    expect(run.progress).toBeCloseTo(15 / 30);
    expect(run.batchPoints.map((p) => p.x)).toEqual([1, 1.5]);
  });

  it('treats a batch as proof of running even when the running status was missed', () => {
    expect(fold([batch(1, 1)]).status).toBe('running');
  });

  it('keeps one row per epoch, replacing a repeated epoch', () => {
    const epoch = (n: number, loss: number): RunEvent => ({ type: 'epoch', epoch: n, loss, accuracy: 0.9, valLoss: null, valAccuracy: 0.8, seconds: 3 });
    const run = fold([epoch(2, 0.3), epoch(1, 0.5), epoch(2, 0.25)]);
    expect(run.epochMetrics.map((m) => [m.epoch, m.loss])).toEqual([[1, 0.5], [2, 0.25]]);
  });

  it('ends with the test accuracy and a full bar', () => {
    const run = fold([batch(3, 10), { type: 'done', testAccuracy: 0.973, testLoss: 0.09, samplesPerSec: 1500, seconds: 30 }]);
    expect(run).toMatchObject({ status: 'succeeded', progress: 1, etaSeconds: null, testAccuracy: 0.973 });
    expect(formatPercent(run.testAccuracy!)).toBe('97.3%');
  });

  it('shows why a run carries on elsewhere or ended before its last epoch', () => {
    const resumed = fold([
      { type: 'status', status: 'running', backend: 'wasm', message: 'The training computer stopped; continuing from epoch 3 on another one.' },
      batch(3, 1),
    ]);
    expect(describeStatus(resumed)).toBe('The training computer stopped; continuing from epoch 3 on another one. Training on wasm.');
    const early = 'Stopped early after epoch 2 of 3: the checking accuracy had not improved for 1 epoch.';
    const stopped = fold([
      { type: 'status', status: 'running', backend: 'wasm' },
      { type: 'status', status: 'running', message: early },
      { type: 'done', testAccuracy: 0.9, testLoss: 0.2, samplesPerSec: 100, seconds: 1 },
      { type: 'status', status: 'succeeded' },
    ]);
    expect(describeStatus(stopped)).toBe(`Training finished. ${early}`);
  });

  it('collects notes about the run once each, even when a reconnect replays them', () => {
    const early = 'Stopped early after epoch 2 of 3: the checking accuracy had not improved for 1 epoch.';
    const moved = 'A training computer stopped, so the run carried on from epoch 2 on another one.';
    const run = fold([{ type: 'note', text: moved }, batch(2, 1), { type: 'note', text: early }, { type: 'note', text: moved }]);
    expect(run.notes).toEqual([moved, early]);
    expect(run.status).toBe('running');
  });

  it('explains failures and cancellations in words', () => {
    expect(describeStatus(fold([{ type: 'status', status: 'failed', message: 'Out of memory' }])))
      .toBe('Training stopped with an error: Out of memory');
    expect(describeStatus(fold([{ type: 'status', status: 'cancelled' }]))).toBe('Training was cancelled.');
  });

  it('keeps the batch curve bounded on long runs while keeping its start and newest point', () => {
    const events: RunEvent[] = [];
    for (let i = 1; i <= 2000; i++) events.push(batch(1, i, { batchesPerEpoch: 2000 }));
    const run = fold(events);
    expect(run.batchPoints.length).toBeLessThanOrEqual(MAX_BATCH_POINTS);
    expect(run.batchPoints.length).toBeGreaterThan(MAX_BATCH_POINTS / 4);
    expect(run.batchPoints.at(-1)!.x).toBe(1);
    expect(run.batchPoints[0].x).toBeLessThan(0.01);
  });
});

describe('stored runs', () => {
  it('rebuilds the view of a finished run after a reload', () => {
    const view = runViewFromStored({
      id: 'r9', status: 'succeeded', backend: 'wasm', error: null, testAccuracy: 0.95, testLoss: 0.2, samplesPerSec: 900,
      training: { epochs: 2 }, createdAt: '2025-01-01T10:00:00.000Z',
      epochs: [
        { epoch: 2, loss: 0.2, accuracy: 0.94, valLoss: 0.25, valAccuracy: 0.93, seconds: 4 },
        { epoch: 1, loss: 0.4, accuracy: 0.88, valLoss: null, valAccuracy: null, seconds: 4 },
      ],
    });
    expect(view).toMatchObject({ runId: 'r9', status: 'succeeded', progress: 1, epoch: 2, epochs: 2, testAccuracy: 0.95 });
    expect(view.notes).toEqual([]);
    const noted = runViewFromStored({
      id: 'r10', status: 'succeeded', backend: 'wasm', error: null, testAccuracy: 0.9, testLoss: 0.3, samplesPerSec: 900,
      training: { epochs: 9 }, createdAt: '2025-01-01T10:00:00.000Z', epochs: [], notes: ['Stopped early after epoch 4 of 9.'],
    });
    expect(noted.notes).toEqual(['Stopped early after epoch 4 of 9.']);
    const points = chartPoints(view);
    expect(points.filter((p) => p.series === 'validation').map((p) => [p.metric, p.value]))
      .toEqual([['Loss', 0.25], ['Accuracy', 0.93]]);
    expect(points.filter((p) => p.metric === 'Loss' && p.series === 'training (epoch)').map((p) => p.x)).toEqual([1, 2]);
  });
});

describe('formatEta', () => {
  it.each([
    [null, 'estimating time left…'],
    [3, 'almost done'],
    [41, 'about 40 s left'],
    [125, 'about 2 min left'],
    [3 * 3600 + 600, 'about 3 h 10 min left'],
  ])('%s s → %s', (seconds, text) => {
    expect(formatEta(seconds)).toBe(text);
  });
});
