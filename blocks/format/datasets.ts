import { z } from 'zod';

/**
 * The built-in datasets as plain data: what the notebook UI lists and what a training spec
 * may name. Pure (no server imports) so the browser and the server share one list; the
 * loaders that produce the examples live in server/data/.
 */
export const PLAYGROUND_DATASET_IDS = ['circle', 'xor', 'gaussian', 'spiral'] as const;
export const BUILT_IN_DATASET_IDS = ['mnist', 'iris', ...PLAYGROUND_DATASET_IDS] as const;
export type BuiltInDatasetId = (typeof BUILT_IN_DATASET_IDS)[number];
export type PlaygroundDatasetId = (typeof PLAYGROUND_DATASET_IDS)[number];

/** Settings of the generated 2-D sets, like the TensorFlow Playground's sliders. */
export const playgroundOptionsSchema = z.object({
  /** How many points are generated in all (split into train, validation and test). */
  size: z.number().int().min(50).max(5000),
  /** How much the points are jittered, from 0 (clean) to 1 (very noisy). */
  noise: z.number().min(0).max(1),
  /** The same seed always gives the same points. */
  seed: z.number().int().min(0).max(2 ** 31 - 1),
});
export type PlaygroundOptions = z.infer<typeof playgroundOptionsSchema>;
export const DEFAULT_PLAYGROUND_OPTIONS: PlaygroundOptions = { size: 500, noise: 0.1, seed: 1 };

export interface BuiltInDatasetInfo {
  id: BuiltInDatasetId;
  /** Used in messages ("… but MNIST has 10 digits") and one-line summaries. */
  name: string;
  /** What the Dataset lists (training cell, data cell) show for it: the name and what it holds. */
  label: string;
  description: string;
  /** Shape of one example, without the batch dimension. */
  inputShape: number[];
  classes: string[];
  /** What the classes are called in sentences: "digits", "species", "classes". */
  classNoun: string;
  /** How to refer to one example in a sentence: "an MNIST digit", "an iris flower". */
  exampleName: string;
  /** How the preview shows it. */
  preview: 'images' | 'table' | 'scatter';
  /** True for the generated 2-D sets, whose size, noise and seed can be chosen. */
  generated: boolean;
  /**
   * The share of its rows the set keeps for validation (server/data's 70/15/15 split); 0 for
   * MNIST, whose fixed split has training and test rows only.
   */
  validationPercent: number;
}

const playground = (id: PlaygroundDatasetId, name: string, description: string, classes: string[]): BuiltInDatasetInfo => ({
  id,
  name,
  label: `${name} (2-D points)`,
  description,
  inputShape: [2],
  classes,
  classNoun: 'classes',
  exampleName: 'a point',
  preview: 'scatter',
  generated: true,
  validationPercent: 15,
});

export const BUILT_IN_DATASETS: Record<BuiltInDatasetId, BuiltInDatasetInfo> = {
  mnist: {
    id: 'mnist',
    name: 'MNIST',
    label: 'MNIST handwritten digits',
    description: 'MNIST handwritten digits: 10,000 pictures of the digits 0 to 9, 28×28 grey pixels each.',
    inputShape: [28, 28, 1],
    classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    classNoun: 'digits',
    exampleName: 'an MNIST digit',
    preview: 'images',
    generated: false,
    validationPercent: 0,
  },
  iris: {
    id: 'iris',
    name: 'Iris flowers',
    label: 'Iris flowers (4 measurements, 3 species)',
    description: 'Iris flowers: 150 flowers of 3 species, each measured 4 ways (sepal and petal length and width, in cm).',
    inputShape: [4],
    classes: ['setosa', 'versicolor', 'virginica'],
    classNoun: 'species',
    exampleName: 'an iris flower',
    preview: 'table',
    generated: false,
    validationPercent: 15,
  },
  circle: playground('circle', 'Circle', 'Circle: 2-D points, one class inside a ring of the other.', ['inside', 'outside']),
  xor: playground('xor', 'XOR', 'XOR: 2-D points whose class depends on whether x and y have the same sign.', ['same sign', 'different sign']),
  gaussian: playground('gaussian', 'Two clusters', 'Two clusters: 2-D points in two blurry blobs.', ['cluster A', 'cluster B']),
  spiral: playground('spiral', 'Spiral', 'Spiral: 2-D points on two arms that wind around each other.', ['arm A', 'arm B']),
};

export function isPlaygroundDatasetId(value: unknown): value is PlaygroundDatasetId {
  return typeof value === 'string' && (PLAYGROUND_DATASET_IDS as readonly string[]).includes(value);
}

export function isBuiltInDatasetId(value: unknown): value is BuiltInDatasetId {
  return typeof value === 'string' && (BUILT_IN_DATASET_IDS as readonly string[]).includes(value);
}

/** A built-in set and, for the generated ones, its settings. */
export const builtInSourceSchema = z.object({
  kind: z.literal('builtIn'),
  id: z.enum(BUILT_IN_DATASET_IDS),
  /** Only read for the generated 2-D sets; missing means the defaults. */
  options: playgroundOptionsSchema.optional(),
});
export type BuiltInSource = z.infer<typeof builtInSourceSchema>;

/**
 * One of the user's uploaded datasets. Name, shape and classes are a copy taken when it was
 * picked, so the notebook can check the model without asking the server; the server checks
 * against the stored dataset itself before training.
 */
export const uploadSourceSchema = z.object({
  kind: z.literal('upload'),
  datasetId: z.uuid(),
  name: z.string().max(100),
  inputShape: z.array(z.number().int().min(1)).min(1).max(4),
  classes: z.array(z.string().max(200)).min(2).max(100),
});

/** Where a data cell's examples come from. New kinds join this union, so every stored cell stays readable. */
export const dataSourceSchema = z.discriminatedUnion('kind', [builtInSourceSchema, uploadSourceSchema]);
export type DataSource = z.infer<typeof dataSourceSchema>;

/**
 * What a model's training "Dataset" setting names: a built-in set with its default options
 * (the plain string form every older notebook stores, e.g. "mnist"), or a data cell above
 * the model, by id.
 */
export const datasetRefSchema = z.union([z.enum(BUILT_IN_DATASET_IDS), z.object({ cell: z.string().min(1).max(100) })]);
export type DatasetRef = z.infer<typeof datasetRefSchema>;

export function builtInSource(id: BuiltInDatasetId): BuiltInSource {
  return BUILT_IN_DATASETS[id].generated ? { kind: 'builtIn', id, options: { ...DEFAULT_PLAYGROUND_OPTIONS } } : { kind: 'builtIn', id };
}

/**
 * The validation rows a dataset keeps of its own, in words for a message ("15% of its rows",
 * "30 rows"), or null when it has none (MNIST; an upload split with 0% for validation).
 * An upload's count comes from the server (`validationRows`); undefined while it is not known.
 */
export function ownValidationWords(source: DataSource, validationRows?: number): string | null | undefined {
  if (source.kind === 'builtIn') {
    const percent = BUILT_IN_DATASETS[source.id].validationPercent;
    return percent > 0 ? `${percent}% of its rows` : null;
  }
  if (validationRows === undefined) return undefined;
  return validationRows > 0 ? `${validationRows} ${validationRows === 1 ? 'row' : 'rows'}` : null;
}

/** The facts about a dataset that shape checks and messages need. */
export type DatasetShapeInfo = Pick<BuiltInDatasetInfo, 'name' | 'inputShape' | 'classes' | 'classNoun' | 'exampleName'>;

export function sourceInfo(source: DataSource): DatasetShapeInfo {
  if (source.kind === 'builtIn') return BUILT_IN_DATASETS[source.id];
  return uploadedInfo(source);
}

/** The words used for any uploaded table. */
export function uploadedInfo(dataset: { name: string; inputShape: number[]; classes: string[] }): DatasetShapeInfo {
  return { name: dataset.name, inputShape: dataset.inputShape, classes: dataset.classes, classNoun: 'classes', exampleName: 'a row' };
}

export interface FitProblem {
  message: string;
  fix: string;
}

const product = (shape: readonly (number | null)[]) => shape.reduce<number>((p, dim) => p * (dim ?? NaN), 1);

/**
 * Why an Input shape cannot hold one example of the data, or null when it can. Any shape
 * with the same count of numbers fits (784 or 28,28,1 for a digit): the trainer reshapes.
 * One home for the words, so the notebook's check and the trainer say the same thing.
 */
export function inputShapeMismatch(shape: readonly (number | null)[], data: DatasetShapeInfo): FitProblem | null {
  const wanted = product(data.inputShape);
  if (product(shape) === wanted) return null;
  // A size left open ("any") takes whatever the data has there; the fixed ones must match.
  if (shape.includes(null) && shape.length === data.inputShape.length && shape.every((d, i) => d === null || d === data.inputShape[i])) return null;
  const shown = shape.map((d) => d ?? 'any');
  if (data.inputShape.length === 3) {
    const [height, width, channels] = data.inputShape as [number, number, number];
    return {
      message: `The Input block's shape is [${shown.join(', ')}], but ${data.exampleName} is ${height}×${width} pixels (${wanted} numbers).`,
      fix: `Set the Input shape to ${height},${width},${channels} (for Conv2D layers) or ${wanted} (for Dense layers only).`,
    };
  }
  return {
    message: `Your Input block says ${shown.join('×')} but the ${data.name} data has ${wanted} numbers per example.`,
    fix: `Set the Input shape to ${data.inputShape.join(',')}.`,
  };
}

/** Why the last layer does not give one number per class, or null when it does. */
export function outputShapeMismatch(shape: readonly (number | null)[], data: DatasetShapeInfo): FitProblem | null {
  const classCount = data.classes.length;
  if (shape.length === 1 && shape[0] === classCount) return null;
  return {
    message: `The last layer gives [${shape.join(', ')}] numbers per example, but ${data.name} has ${classCount} ${data.classNoun}.`,
    fix: `End the model with Flatten (if needed) and a Dense layer with ${classCount} units and softmax activation.`,
  };
}

/** What a hidden test set is compared on: the shape of one example, the classes, and (CSV) the columns each input number came from. */
export interface TestSetFacts {
  name: string;
  inputShape: readonly number[];
  classes: readonly string[];
  /** A CSV upload's input numbers in order, e.g. "x", "colour = red"; absent for pictures and built-in sets. */
  inputColumns?: readonly string[];
}

const listed = (values: readonly string[]) => values.map((v) => `“${v}”`).join(', ');

/**
 * Why a dataset cannot grade networks trained on `training`, in one sentence that names the
 * difference and says how to fix it; null when it can. Graded networks read its examples as
 * they read the training data: the same numbers per example, the same columns in the same
 * order, and the same classes in the same order (a class is its position in the output). One
 * home for the rule, so the make-assignment form and the server say the same thing.
 */
export function testSetMismatch(training: TestSetFacts, test: TestSetFacts): string | null {
  const fix = `Upload a test set made like “${training.name}”, or keep the test split of the notebook’s data.`;
  if (training.inputShape.join('×') !== test.inputShape.join('×')) {
    return `“${test.name}” has examples of shape ${test.inputShape.join('×')}, but the notebook trains on “${training.name}”, whose examples are ${training.inputShape.join('×')}. ${fix}`;
  }
  if (training.inputColumns && test.inputColumns && training.inputColumns.join('\u0000') !== test.inputColumns.join('\u0000')) {
    const at = training.inputColumns.findIndex((column, i) => column !== test.inputColumns![i]);
    return `“${test.name}” has the input column ${listed([test.inputColumns[at] ?? '(none)'])} where “${training.name}” has ${listed([training.inputColumns[at] ?? '(none)'])} (input ${at + 1}). ${fix}`;
  }
  if (training.classes.join('\u0000') !== test.classes.join('\u0000')) {
    const missing = training.classes.filter((c) => !test.classes.includes(c));
    const extra = test.classes.filter((c) => !training.classes.includes(c));
    const what =
      missing.length > 0 || extra.length > 0
        ? [missing.length > 0 ? `lacks the class${missing.length > 1 ? 'es' : ''} ${listed(missing)}` : '', extra.length > 0 ? `has the class${extra.length > 1 ? 'es' : ''} ${listed(extra)} that “${training.name}” does not` : '']
            .filter(Boolean)
            .join(' and ')
        : `lists the same classes in another order (${listed(test.classes)} instead of ${listed(training.classes)})`;
    return `“${test.name}” ${what}. ${fix}`;
  }
  return null;
}

/** What decides whether an upload may be an assignment's hidden test set, besides being the teacher's own. */
export interface HiddenTestSetCandidate extends TestSetFacts {
  /** 'school': every student can open it. */
  visibility: 'private' | 'school';
  /** The classes it is shared with, by name. */
  sharedWith: readonly string[];
  /** A data cell of the notebook holds it: students would get it with their copy. */
  usedByNotebook: boolean;
}

/**
 * Why an upload cannot be an assignment's hidden test set, in a sentence saying what to do;
 * null when it can. Hidden means no student can reach it, so a dataset a class or the school
 * can open is refused rather than quietly unshared (the teacher shared it on purpose, and
 * its students may be training on it). The form and the server both ask this.
 */
export function hiddenTestSetProblem(training: TestSetFacts | null, candidate: HiddenTestSetCandidate): string | null {
  if (candidate.usedByNotebook) {
    return `This notebook’s data cell uses “${candidate.name}”, so students would get it with their copy and train on it. Pick a dataset the notebook does not use, or keep the test split of the notebook’s data.`;
  }
  if (candidate.visibility === 'school') {
    return `“${candidate.name}” is a school dataset, which every student can open. Make it yours only (Share… in its data cell) or upload a separate copy to grade with.`;
  }
  if (candidate.sharedWith.length > 0) {
    return `“${candidate.name}” is shared with ${candidate.sharedWith.join(', ')}, so those students can open it. Stop sharing it (Share with class… in its data cell), or upload a separate copy to grade with.`;
  }
  return training && testSetMismatch(training, candidate);
}

/**
 * The input numbers of a CSV upload by the column each came from ("x", "colour = red"), read
 * from its stored encodings; undefined for datasets without them (pictures, built-in sets).
 */
export function inputColumnsOf(encodings: readonly unknown[]): string[] | undefined {
  if (encodings.length === 0) return undefined;
  return encodings.map((e) => {
    const encoding = e as { column?: unknown; as?: unknown; value?: unknown };
    return encoding.as === 'category' ? `${String(encoding.column)} = ${String(encoding.value)}` : String(encoding.column);
  });
}
