import { BUILT_IN_DATASETS, isPlaygroundDatasetId, type BuiltInSource } from '../../blocks/format/datasets';
import type { FeatureEncoding } from '../../blocks/format/table-inputs';
import type { ClassBalance } from './balance';
import { SPLITS, type Dataset, type Split } from './dataset';
import { IRIS_COLUMNS, irisEncodings, irisRows, irisTrainAndValidationRows } from './iris';
import { loadMnist } from './mnist-digits';
import { loadBuiltInDataset } from './registry';

export type DatasetPreview =
  | { kind: 'images'; balance: ClassBalance; width: number; height: number; images: { pixels: number[]; label: string }[] }
  | {
      kind: 'table';
      balance: ClassBalance;
      columns: string[];
      rows: (string | number)[][];
      rowCount: number;
      /** The column of `columns` that holds each row's class. */
      labelColumn: string;
      /** How the trainer makes the model's input numbers from the other columns ("Try your model" repeats it). */
      encodings: FeatureEncoding[];
    }
  | { kind: 'scatter'; balance: ClassBalance; points: { x: number; y: number; label: string }[] };

export const PREVIEW_IMAGES = 30;
export const PREVIEW_TABLE_ROWS = 20;

export function classBalance(dataset: Dataset): ClassBalance {
  const counts = Object.fromEntries(SPLITS.map((split) => [split, new Array<number>(dataset.classes.length).fill(0)])) as Record<Split, number[]>;
  for (const split of SPLITS) {
    for (const batch of dataset.batches(split, 1024)) for (const label of batch.classIndices) counts[split][label]!++;
  }
  return { classes: dataset.classes, counts };
}

/** A small, JSON-friendly look at a built-in set: enough to see what it is, never the whole thing. */
export function builtInPreview(source: BuiltInSource): DatasetPreview {
  const dataset = loadBuiltInDataset(source.id, source.options);
  const balance = classBalance(dataset);
  const info = BUILT_IN_DATASETS[source.id];
  switch (info.preview) {
    case 'images': {
      // Spread over the training split so every digit shows up, as whole grey levels 0..255.
      // Never the test split: it grades assignments, and students never see its examples.
      const test = loadMnist().train;
      const [height, width] = info.inputShape as [number, number];
      const images = Array.from({ length: PREVIEW_IMAGES }, (_, i) => {
        const row = Math.floor((i * test.count) / PREVIEW_IMAGES);
        const pixels = Array.from(test.images.subarray(row * width * height, (row + 1) * width * height), (v) => Math.round(v * 255));
        return { pixels, label: info.classes[test.digits[row]!]! };
      });
      return { kind: 'images', balance, width, height, images };
    }
    case 'table': {
      // The training and validation flowers only: the test split grades assignments, and students never see its examples.
      const rows = irisTrainAndValidationRows();
      return {
        kind: 'table',
        balance,
        columns: [...IRIS_COLUMNS, 'species'],
        // Every 6th flower (the file lists the species one after another), so all three appear in the first rows.
        rows: rows.filter((_, i) => i % 6 === 0).slice(0, PREVIEW_TABLE_ROWS).map((r) => [r.sepalLength, r.sepalWidth, r.petalLength, r.petalWidth, r.species]),
        rowCount: irisRows().length,
        labelColumn: 'species',
        encodings: irisEncodings(),
      };
    }
    case 'scatter': {
      if (!isPlaygroundDatasetId(source.id)) throw new Error(`"${source.id}" is previewed as points but is not a generated set.`);
      // The training and validation points only: the test split grades assignments, and students never see its examples.
      const points: { x: number; y: number; label: string }[] = [];
      for (const split of ['train', 'validation'] as const) {
        for (const batch of dataset.batches(split, 1024)) {
          for (let i = 0; i < batch.size; i++) {
            points.push({ x: round(batch.features[i * 2]!), y: round(batch.features[i * 2 + 1]!), label: info.classes[batch.classIndices[i]!]! });
          }
        }
      }
      return { kind: 'scatter', balance, points };
    }
  }
}

const round = (value: number) => Math.round(value * 1000) / 1000;
