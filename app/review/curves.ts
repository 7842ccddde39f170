import type { CurvePoint } from './diagnosis';

/**
 * Scales every student's small chart shares, so a teacher compares curves by eye: the same
 * epochs across, the same loss range up. One wild run (a loss of 40 after a bad learning
 * rate) would flatten everyone else's curves, so the loss axis stops at a few times the
 * typical starting loss and higher points are drawn at the top edge.
 */
export interface SharedScales {
  epochs: number;
  maxLoss: number;
}

export function sharedScales(runs: readonly (readonly CurvePoint[])[], plannedEpochs: readonly number[] = []): SharedScales {
  const epochs = Math.max(1, ...plannedEpochs, ...runs.flatMap((r) => r.map((p) => p.epoch)));
  const losses = runs.flatMap((r) => r.flatMap((p) => [p.loss, p.valLoss ?? Number.NaN])).filter((v) => Number.isFinite(v) && v >= 0);
  if (losses.length === 0) return { epochs, maxLoss: 1 };
  const starts = runs.map((r) => r[0]?.loss).filter((v): v is number => v !== undefined && Number.isFinite(v)).sort((a, b) => a - b);
  const typicalStart = starts.length ? starts[Math.floor(starts.length / 2)]! : Math.max(...losses);
  const top = Math.min(Math.max(...losses), typicalStart * 3);
  return { epochs, maxLoss: niceCeil(top) };
}

/** 0.83 → 0.9, 2.31 → 2.5, 13 → 15: an axis end that reads as a round number. */
export function niceCeil(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((s) => s * power >= value - 1e-12)!;
  return Number((step * power).toPrecision(6));
}

export interface CurveRow {
  epoch: number;
  value: number;
  metric: 'Loss' | 'Accuracy';
  series: 'training' | 'validation';
}

/** Long-form rows for Plot, with losses above the shared axis drawn at its top. */
export function curveRows(points: readonly CurvePoint[], scales: SharedScales): CurveRow[] {
  const rows: CurveRow[] = [];
  const loss = (v: number) => Math.min(v, scales.maxLoss);
  for (const p of points) {
    if (Number.isFinite(p.loss)) rows.push({ epoch: p.epoch, value: loss(p.loss), metric: 'Loss', series: 'training' });
    if (p.valLoss !== null && Number.isFinite(p.valLoss)) rows.push({ epoch: p.epoch, value: loss(p.valLoss), metric: 'Loss', series: 'validation' });
    if (Number.isFinite(p.accuracy)) rows.push({ epoch: p.epoch, value: p.accuracy, metric: 'Accuracy', series: 'training' });
    if (p.valAccuracy !== null && Number.isFinite(p.valAccuracy)) rows.push({ epoch: p.epoch, value: p.valAccuracy, metric: 'Accuracy', series: 'validation' });
  }
  return rows;
}
