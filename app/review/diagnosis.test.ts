import { describe, expect, it } from 'vitest';
import { diagnose, type CurvePoint } from './diagnosis';

const curve = (rows: [number, number, number | null, number | null][]): CurvePoint[] =>
  rows.map(([loss, accuracy, valLoss, valAccuracy], i) => ({ epoch: i + 1, loss, accuracy, valLoss, valAccuracy }));

describe('diagnose', () => {
  it('says "not started" for a student without a run', () => {
    expect(diagnose({ epochs: [], hasRun: false }).kind).toBe('not-started');
  });

  it('waits for the first epoch of a run that just began', () => {
    expect(diagnose({ epochs: [], hasRun: true })).toMatchObject({ kind: 'too-early', label: 'Just started' });
  });

  it('spots overfitting: validation loss rising while training loss falls', () => {
    const result = diagnose({
      hasRun: true,
      classes: 10,
      epochs: curve([
        [1.2, 0.6, 1.0, 0.65],
        [0.7, 0.78, 0.8, 0.74],
        [0.4, 0.88, 0.85, 0.75],
        [0.2, 0.95, 1.05, 0.74],
      ]),
    });
    expect(result.kind).toBe('overfits');
    expect(result.reason).toContain('epoch 2');
  });

  it('spots overfitting from a wide gap between training and validation accuracy', () => {
    const result = diagnose({ hasRun: true, classes: 2, epochs: curve([[0.6, 0.7, 0.6, 0.68], [0.2, 0.97, 0.55, 0.72]]) });
    expect(result).toMatchObject({ kind: 'overfits', label: 'Overfits' });
  });

  it('says a network at chance accuracy cannot learn', () => {
    const result = diagnose({ hasRun: true, classes: 10, epochs: curve([[2.302, 0.11, 2.302, 0.1], [2.301, 0.112, 2.302, 0.1], [2.301, 0.11, 2.302, 0.1]]) });
    expect(result.kind).toBe('not-learning');
    expect(result.reason).toContain('guessing');
  });

  it('says a loss that does not fall is not learning, even above chance', () => {
    const result = diagnose({ hasRun: true, classes: 2, epochs: curve([[0.5, 0.75, 0.5, 0.74], [0.499, 0.75, 0.5, 0.74], [0.498, 0.76, 0.5, 0.75]]) });
    expect(result.kind).toBe('not-learning');
    expect(result.reason).toContain('hardly moved');
  });

  it('says a loss that became NaN is not learning, naming the learning rate', () => {
    const result = diagnose({ hasRun: true, classes: 2, epochs: curve([[0.7, 0.8, 0.6, 0.8], [Number.NaN, 0.5, null, null]]) });
    expect(result.kind).toBe('not-learning');
    expect(result.reason).toContain('learning rate');
  });

  it('calls falling training and validation loss learning well', () => {
    const result = diagnose({
      hasRun: true,
      classes: 10,
      epochs: curve([
        [1.0, 0.7, 0.8, 0.76],
        [0.5, 0.86, 0.45, 0.87],
        [0.3, 0.91, 0.32, 0.9],
      ]),
    });
    expect(result).toMatchObject({ kind: 'learning-well', label: 'Learning well' });
    expect(result.reason).toContain('90%');
  });

  it('judges a run without validation from its training curve', () => {
    expect(diagnose({ hasRun: true, classes: 3, epochs: curve([[1.0, 0.5, null, null], [0.4, 0.85, null, null]]) }).kind).toBe('learning-well');
  });

  it('keeps one epoch above chance as too early to tell', () => {
    expect(diagnose({ hasRun: true, classes: 10, epochs: curve([[0.9, 0.7, 0.8, 0.72]]) }).kind).toBe('too-early');
  });
});
