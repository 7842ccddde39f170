import { describe, expect, it } from 'vitest';
import type { RunEvent } from './protocol';
import { RunEvents } from './run-events';

describe('run events for views of many runs', () => {
  it('hears runs trained here and runs relayed from other machines, and nothing after it stops', () => {
    const passedOn: string[] = [];
    const events = new RunEvents((runId) => passedOn.push(runId));
    const heard: [string, RunEvent['type']][] = [];
    const stop = events.subscribeToEveryRun((runId, event) => heard.push([runId, event.type]));
    events.emit('here', { type: 'status', status: 'running' });
    events.relay('elsewhere', { type: 'epoch', epoch: 1, loss: 1, accuracy: 0.5, valLoss: null, valAccuracy: null, seconds: 1 });
    events.emitFinal('here', { type: 'status', status: 'succeeded' });
    expect(heard).toEqual([['here', 'status'], ['elsewhere', 'epoch'], ['here', 'status']]);
    // Relayed events are not passed on again (they would go round in circles).
    expect(passedOn).toEqual(['here', 'here']);
    stop();
    events.emit('here', { type: 'status', status: 'queued' });
    expect(heard).toHaveLength(3);
  });

  it('keeps delivering to the others when one listener throws', () => {
    const events = new RunEvents();
    const heard: string[] = [];
    events.subscribeToEveryRun(() => {
      throw new Error('broken view');
    });
    events.subscribeToEveryRun((runId) => heard.push(runId));
    const original = console.error;
    console.error = () => {};
    try {
      events.emit('r1', { type: 'status', status: 'running' });
    } finally {
      console.error = original;
    }
    expect(heard).toEqual(['r1']);
  });
});
