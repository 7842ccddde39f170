import { describe, expect, it } from 'vitest';
import { irisEncodings, irisTrainAndValidationRows } from './iris';
import { loadMnist } from './mnist-digits';
import { playgroundDataset } from './playground';
import { builtInPreview, PREVIEW_IMAGES } from './preview';

describe('builtInPreview', () => {
  it('shows MNIST as labelled 28×28 grey images, every digit among them, and counts per split', () => {
    const preview = builtInPreview({ kind: 'builtIn', id: 'mnist' });
    if (preview.kind !== 'images') throw new Error(`expected images, got ${preview.kind}`);
    expect(preview.images).toHaveLength(PREVIEW_IMAGES);
    expect(preview.images.every((img) => img.pixels.length === 784 && img.pixels.every((p) => p >= 0 && p <= 255))).toBe(true);
    expect(new Set(preview.images.map((img) => img.label)).size).toBe(10);
    // No picture of the test split, which grades assignments.
    const test = loadMnist().test;
    const testImages = new Set(Array.from({ length: test.count }, (_, row) => Array.from(test.images.subarray(row * 784, (row + 1) * 784), (v) => Math.round(v * 255)).join(',')));
    expect(preview.images.filter((img) => testImages.has(img.pixels.join(',')))).toEqual([]);
    expect(preview.balance.counts.train.reduce((a, b) => a + b, 0)).toBe(7996);
    expect(preview.balance.counts.validation.every((c) => c === 0)).toBe(true);
  });

  it('shows iris as a table with every species in the first rows', () => {
    const preview = builtInPreview({ kind: 'builtIn', id: 'iris' });
    if (preview.kind !== 'table') throw new Error(`expected a table, got ${preview.kind}`);
    expect(preview.columns).toEqual(['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)', 'species']);
    expect(new Set(preview.rows.map((r) => r[4])).size).toBe(3);
    expect(preview.balance.counts).toEqual({ train: [35, 35, 35], validation: [7, 7, 7], test: [8, 8, 8] });
    // Only training and validation flowers, which "Try your model" also starts from.
    const shown = new Set(irisTrainAndValidationRows().map((r) => [r.sepalLength, r.sepalWidth, r.petalLength, r.petalWidth, r.species].join(',')));
    for (const row of preview.rows) expect(shown.has(row.join(','))).toBe(true);
    expect(preview.labelColumn).toBe('species');
    expect(preview.encodings).toEqual(irisEncodings());
  });

  it('shows a generated set as its training and validation points, labelled by class, following the settings; never a test point', () => {
    const preview = builtInPreview({ kind: 'builtIn', id: 'xor', options: { size: 80, noise: 0, seed: 2 } });
    if (preview.kind !== 'scatter') throw new Error(`expected points, got ${preview.kind}`);
    const { train, validation, test } = preview.balance.counts;
    const sum = (counts: number[]) => counts.reduce((a, b) => a + b, 0);
    expect(preview.points).toHaveLength(sum(train) + sum(validation));
    expect(sum(test)).toBeGreaterThan(0);
    const testPoints = new Set<string>();
    for (const batch of playgroundDataset('xor', { size: 80, noise: 0, seed: 2 }).batches('test', 1024)) {
      for (let i = 0; i < batch.size; i++) testPoints.add(`${Math.round(batch.features[i * 2]! * 1000) / 1000},${Math.round(batch.features[i * 2 + 1]! * 1000) / 1000}`);
    }
    expect(preview.points.filter((p) => testPoints.has(`${p.x},${p.y}`))).toEqual([]);
    for (const p of preview.points) expect(p.label).toBe(p.x * p.y >= 0 ? 'same sign' : 'different sign');
  });
});
