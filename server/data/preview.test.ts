import { describe, expect, it } from 'vitest';
import { builtInPreview, PREVIEW_IMAGES } from './preview';

describe('builtInPreview', () => {
  it('shows MNIST as labelled 28×28 grey images, every digit among them, and counts per split', () => {
    const preview = builtInPreview({ kind: 'builtIn', id: 'mnist' });
    if (preview.kind !== 'images') throw new Error(`expected images, got ${preview.kind}`);
    expect(preview.images).toHaveLength(PREVIEW_IMAGES);
    expect(preview.images.every((img) => img.pixels.length === 784 && img.pixels.every((p) => p >= 0 && p <= 255))).toBe(true);
    expect(new Set(preview.images.map((img) => img.label)).size).toBe(10);
    expect(preview.balance.counts.train.reduce((a, b) => a + b, 0)).toBe(7996);
    expect(preview.balance.counts.validation.every((c) => c === 0)).toBe(true);
  });

  it('shows iris as a table with every species in the first rows', () => {
    const preview = builtInPreview({ kind: 'builtIn', id: 'iris' });
    if (preview.kind !== 'table') throw new Error(`expected a table, got ${preview.kind}`);
    expect(preview.columns).toEqual(['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)', 'species']);
    expect(new Set(preview.rows.map((r) => r[4])).size).toBe(3);
    expect(preview.balance.counts).toEqual({ train: [35, 35, 35], validation: [7, 7, 7], test: [8, 8, 8] });
  });

  it('shows a generated set as all its points, labelled by class, following the settings', () => {
    const preview = builtInPreview({ kind: 'builtIn', id: 'xor', options: { size: 80, noise: 0, seed: 2 } });
    if (preview.kind !== 'scatter') throw new Error(`expected points, got ${preview.kind}`);
    expect(preview.points).toHaveLength(80);
    for (const p of preview.points) expect(p.label).toBe(p.x * p.y >= 0 ? 'same sign' : 'different sign');
  });
});
