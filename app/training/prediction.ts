import { BUILT_IN_DATASETS, type DataSource, type DatasetShapeInfo } from '../../blocks/format/datasets';
import { isPictureShape } from '../../blocks/format/picture-pixels';
import { PICTURE_SIZE } from './mnist-drawing';

/**
 * What "Try your model" says about a model's answer. Pure, so the words are tested without a
 * browser or TF.js.
 */

/**
 * Whether a student can draw an example of this data: 28×28 pictures with one grey channel
 * (MNIST, Fashion-MNIST, a picture or IDX upload of that size). A CSV upload's shape is one
 * number per column ([4] for iris), never three, so it is never taken for a picture.
 */
export function takesDrawings(data: Pick<DatasetShapeInfo, 'inputShape'>): boolean {
  const [height, width, channels, ...more] = data.inputShape;
  return height === PICTURE_SIZE && width === PICTURE_SIZE && channels === 1 && more.length === 0;
}

/**
 * Whether a student can try a picture file on this data: pictures of any size with one or
 * three channels, as the importers make them (blocks/format/picture-pixels.ts).
 */
export function takesPictures(data: Pick<DatasetShapeInfo, 'inputShape'>): boolean {
  return isPictureShape(data.inputShape);
}

/**
 * Whether a student can type in one row of this data: a table whose columns the server
 * describes (iris; a CSV upload, whose shape is one number per input). Not the generated 2-D
 * sets: a map of the model's decisions over the plane shows those better than two boxes.
 */
export function takesTableRows(source: DataSource): boolean {
  if (source.kind === 'builtIn') return BUILT_IN_DATASETS[source.id].preview === 'table';
  return source.inputShape.length === 1;
}

export interface Guess {
  /** One share per class, in the dataset's class order, adding up to 1. */
  probabilities: number[];
  /** True when the model's outputs were not shares already (its last layer has no softmax), so softmax made them into shares. */
  softmaxed: boolean;
}

/**
 * The model's outputs as shares of certainty. A network trained with a crossentropy loss ends
 * in softmax, and its outputs are used as they are; a student's model may end in another
 * activation, and then softmax turns its outputs into shares, as Keras's
 * `from_logits=True` would, and the panel says so.
 */
export function asGuess(outputs: ArrayLike<number>): Guess {
  const values = Array.from(outputs);
  const sum = values.reduce((a, b) => a + b, 0);
  if (values.every((v) => v >= 0 && v <= 1) && Math.abs(sum - 1) < 1e-3) return { probabilities: values.map((v) => v / sum), softmaxed: false };
  const highest = Math.max(...values);
  const exps = values.map((v) => Math.exp(v - highest));
  const total = exps.reduce((a, b) => a + b, 0);
  return { probabilities: exps.map((e) => e / total), softmaxed: true };
}

/** A share as a whole percentage ("92%"); below one percent but above nothing, "<1%", so a small chance is not shown as none. */
export function formatShare(share: number): string {
  const percent = Math.round(share * 100);
  return percent === 0 && share > 0 ? '<1%' : `${percent}%`;
}

/** The index of the class with the biggest share (the first, when several are equal). */
export function likeliest(probabilities: readonly number[]): number {
  let best = 0;
  probabilities.forEach((p, i) => {
    if (p > probabilities[best]!) best = i;
  });
  return best;
}

/** "Your model thinks this is a 7 (92% sure)." for digits; "… this is “Sneaker” (…)" for named classes. */
export function describeGuess(classes: readonly string[], probabilities: readonly number[]): string {
  const best = likeliest(probabilities);
  return `Your model thinks this is ${aClass(classes[best] ?? `class ${best}`)} (${formatShare(probabilities[best]!)} sure).`;
}

/** A class as a sentence names it: a number with its article ("a 7", "an 8"), any other name in quotes ("“Sneaker”"). */
export function aClass(name: string): string {
  return /^\d+$/.test(name) ? `${numberArticle(name)} ${name}` : `“${name}”`;
}

/** "an 8", "an 11", "an 18", "a 7": the article as the number is spoken (classes go up to 100). */
function numberArticle(digits: string): 'a' | 'an' {
  return digits.startsWith('8') || digits === '11' || digits === '18' ? 'an' : 'a';
}

/**
 * The data a run's answers are named by. The cell's data may have changed since the run
 * trained (a swap between two sets of 28×28 pictures keeps the shape, not the classes), so
 * the class names the run trained on win where the run kept them: its confusion matrix holds
 * them, in the order of the model's outputs, for finished runs of at most 50 classes. Runs
 * without one fall back to the cell's data as it is now.
 */
export function dataOfRun(current: DatasetShapeInfo, trainedClasses: readonly string[] | null | undefined): DatasetShapeInfo {
  const same = trainedClasses?.length === current.classes.length && trainedClasses.every((name, i) => name === current.classes[i]);
  if (!trainedClasses || same) return current;
  // The cell's words for its classes ("digits") may not fit the run's, so they are just classes.
  return { ...current, name: 'the data this run trained on', classes: [...trainedClasses], classNoun: 'classes' };
}
