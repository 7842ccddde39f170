import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import type { RunEvent } from '../training/protocol';
import { createRunEventPublisher, listenForRunEvents } from './run-events-channel';

const kinds = [{ kind: 'pglite' as const }, { kind: 'postgres' as const }];

const batch = (n: number): RunEvent => ({
  type: 'batch',
  epoch: 1,
  epochs: 1,
  batch: n,
  batchesPerEpoch: 10,
  loss: 1 / n,
  accuracy: n / 10,
  samplesPerSec: 100,
  progress: n / 10,
  etaSeconds: 10 - n,
});

describe.each(kinds)('run events through LISTEN/NOTIFY on $kind', ({ kind }) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('delivers every status and epoch event in order, and batch events at most every 250 ms per run', async () => {
    const heard: Array<[string, RunEvent]> = [];
    const stop = await listenForRunEvents(database, (runId, event) => heard.push([runId, event]));
    let clock = 0;
    const publish = createRunEventPublisher(database, { now: () => clock });

    publish('a', { type: 'status', status: 'running', backend: 'wasm' });
    publish('a', batch(1));
    clock = 100;
    publish('a', batch(2)); // too soon after batch 1: dropped
    publish('b', batch(1)); // another run has its own pace
    clock = 300;
    publish('a', batch(3));
    publish('a', { type: 'epoch', epoch: 1, loss: 0.5, accuracy: 0.8, valLoss: null, valAccuracy: null, seconds: 3 });
    publish('a', { type: 'status', status: 'succeeded' });

    const deadline = Date.now() + 10_000;
    while (heard.length < 6 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await stop();
    expect(heard.map(([runId, e]) => `${runId}:${e.type === 'status' ? e.status : e.type === 'batch' ? `batch${e.batch}` : e.type}`)).toEqual([
      'a:running',
      'a:batch1',
      'b:batch1',
      'a:batch3',
      'a:epoch',
      'a:succeeded',
    ]);
    expect(heard[0]![1]).toEqual({ type: 'status', status: 'running', backend: 'wasm' });
  });
});
