import { describe, expect, it } from 'vitest';
import { encodeTableRow } from '../../blocks/format/table-inputs';
import { IRIS_COLUMNS, irisDataset, irisEncodings, irisRows, irisTrainAndValidationRows, type IrisRow } from './iris';
import type { Split } from './dataset';

/** A flower as a student types it: its measurements in cm, as text, by column name. */
const typed = (flower: IrisRow) => {
  const values = [flower.sepalLength, flower.sepalWidth, flower.petalLength, flower.petalWidth].map(String);
  return (column: string) => values[(IRIS_COLUMNS as readonly string[]).indexOf(column)];
};
const encode = (flower: IrisRow) => {
  const result = encodeTableRow(irisEncodings(), typed(flower));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return Array.from(result.values);
};
/** The trainer's input numbers, one array per example of the splits. */
const trainerRows = (splits: Split[]) =>
  splits.flatMap((split) => [...irisDataset().batches(split, 1000)].flatMap((batch) => Array.from({ length: batch.size }, (_, i) => Array.from(batch.features.subarray(i * 4, (i + 1) * 4)))));
// The trainer keeps the measurements as float32 before standardising them: equal up to that rounding.
const same = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]!) < 1e-5);

describe('iris for "Try your model"', () => {
  it('encodes a flower typed in cm into the numbers the trainer holds for it, in every split', () => {
    const encoded = irisRows().map(encode);
    for (const row of trainerRows(['train', 'validation', 'test'])) expect(encoded.some((flower) => same(flower, row)), String(row)).toBe(true);
    // A wrong mean or spread would match no flower; the training rows' numbers have mean 0.
    const train = trainerRows(['train']);
    for (let f = 0; f < 4; f++) expect(Math.abs(train.reduce((sum, row) => sum + row[f]!, 0) / train.length)).toBeLessThan(1e-5);
  });

  it('shows a student the training and validation flowers, never a test flower', () => {
    const byValues = (a: number[], b: number[]) => a.reduce((order, v, i) => order || v - b[i]!, 0);
    const shown = irisTrainAndValidationRows().map(encode).sort(byValues);
    const held = trainerRows(['train', 'validation']).sort(byValues);
    expect(shown).toHaveLength(126);
    expect(held).toHaveLength(126);
    shown.forEach((flower, i) => expect(same(flower, held[i]!), `${flower} / ${held[i]}`).toBe(true));
  });
});
