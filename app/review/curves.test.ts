import { describe, expect, it } from 'vitest';
import { curveRows, niceCeil, sharedScales } from './curves';
import type { CurvePoint } from './diagnosis';

const p = (epoch: number, loss: number, valLoss: number | null = null): CurvePoint => ({ epoch, loss, accuracy: 0.5, valLoss, valAccuracy: null });

describe('sharedScales', () => {
  it('spans the longest run and the largest loss of the class', () => {
    expect(sharedScales([[p(1, 0.9), p(2, 0.5)], [p(1, 1.1, 1.2), p(2, 0.6), p(3, 0.4)]])).toEqual({ epochs: 3, maxLoss: 1.5 });
  });

  it('keeps room for the epochs a run will still train', () => {
    expect(sharedScales([[p(1, 0.9)]], [10]).epochs).toBe(10);
  });

  it('does not let one exploding run flatten everyone else', () => {
    const scales = sharedScales([[p(1, 0.7), p(2, 0.5)], [p(1, 0.8), p(2, 0.6)], [p(1, 0.75), p(2, 40)]]);
    expect(scales.maxLoss).toBeLessThanOrEqual(2.5);
    const rows = curveRows([p(1, 0.75), p(2, 40)], scales);
    expect(rows.find((r) => r.epoch === 2 && r.metric === 'Loss')!.value).toBe(scales.maxLoss);
  });

  it('has sensible axes for a class where nobody trained yet', () => {
    expect(sharedScales([[], []])).toEqual({ epochs: 1, maxLoss: 1 });
  });
});

describe('niceCeil', () => {
  it('rounds up to a number an axis can end on', () => {
    expect(niceCeil(0.83)).toBe(1);
    expect(niceCeil(2.31)).toBe(2.5);
    expect(niceCeil(13)).toBe(15);
    expect(niceCeil(0)).toBe(1);
  });
});

describe('curveRows', () => {
  it('skips values that are not numbers and keeps validation apart from training', () => {
    const rows = curveRows([{ epoch: 1, loss: Number.NaN, accuracy: 0.4, valLoss: 0.9, valAccuracy: 0.5 }], { epochs: 1, maxLoss: 1 });
    expect(rows).toEqual([
      { epoch: 1, value: 0.9, metric: 'Loss', series: 'validation' },
      { epoch: 1, value: 0.4, metric: 'Accuracy', series: 'training' },
      { epoch: 1, value: 0.5, metric: 'Accuracy', series: 'validation' },
    ]);
  });
});
