import { BUILT_IN_DATASETS, DEFAULT_PLAYGROUND_OPTIONS, playgroundOptionsSchema, type PlaygroundDatasetId, type PlaygroundOptions } from '../../blocks/format/datasets';
import { inMemoryDataset, stratifiedSplit, takeRows, type Dataset, type Split } from './dataset';
import { gaussian, seededRandom } from './random';

/**
 * The four 2-D sets of the TensorFlow Playground, generated from a seed. Points lie in
 * about -1..1 on both axes (so no normalisation is needed), half of them in each class.
 * `noise` 0..1 jitters every point by up to that fraction of the plot's half-width.
 */
export interface Points {
  x: Float32Array;
  y: Float32Array;
  classIndices: Int32Array;
  count: number;
}

type Generator = (random: () => number, count: number, noise: number) => Points;

function points(count: number, make: (i: number) => [number, number, number]): Points {
  const out: Points = { x: new Float32Array(count), y: new Float32Array(count), classIndices: new Int32Array(count), count };
  for (let i = 0; i < count; i++) {
    const [x, y, label] = make(i);
    out.x[i] = x;
    out.y[i] = y;
    out.classIndices[i] = label;
  }
  return out;
}

const jitter = (random: () => number, noise: number) => (random() * 2 - 1) * noise;

const GENERATORS: Record<PlaygroundDatasetId, Generator> = {
  // Class 0 inside radius 0.5, class 1 in the ring 0.7..1; the label follows where the point ended up after noise, as in the Playground.
  circle: (random, count, noise) =>
    points(count, (i) => {
      const inside = i % 2 === 0;
      const radius = inside ? random() * 0.5 : 0.7 + random() * 0.3;
      const angle = random() * 2 * Math.PI;
      const x = radius * Math.sin(angle) + jitter(random, noise);
      const y = radius * Math.cos(angle) + jitter(random, noise);
      return [x, y, inside ? 0 : 1];
    }),
  // The class is whether x and y share a sign; alternating classes keeps them balanced, and a small gap from the axes keeps the clean set separable.
  xor: (random, count, noise) =>
    points(count, (i) => {
      const label = i % 2;
      const away = () => random() * 0.95 + 0.05;
      const x = random() < 0.5 ? -away() : away();
      const y = Math.sign(x) * (label === 0 ? 1 : -1) * away();
      return [x + jitter(random, noise), y + jitter(random, noise), label];
    }),
  gaussian: (random, count, noise) =>
    points(count, (i) => {
      const first = i % 2 === 0;
      const centre = first ? 0.5 : -0.5;
      // Spread grows with noise, from tight blobs to overlapping ones.
      const spread = 0.1 + noise * 0.4;
      return [centre + gaussian(random) * spread, centre + gaussian(random) * spread, first ? 0 : 1];
    }),
  spiral: (random, count, noise) =>
    points(count, (i) => {
      const arm = i % 2;
      const t = (Math.floor(i / 2) / Math.ceil(count / 2)) * 1.75 * 2 * Math.PI;
      const radius = t / (1.75 * 2 * Math.PI);
      const angle = t + arm * Math.PI;
      return [radius * Math.sin(angle) + jitter(random, noise), radius * Math.cos(angle) + jitter(random, noise), arm];
    }),
};

export function generatePoints(id: PlaygroundDatasetId, options: PlaygroundOptions = DEFAULT_PLAYGROUND_OPTIONS): Points {
  const checked = playgroundOptionsSchema.parse(options);
  return GENERATORS[id](seededRandom(checked.seed), checked.size, checked.noise);
}

/** A generated set, split 70/15/15 per class with the options' seed. */
export function playgroundDataset(id: PlaygroundDatasetId, options: PlaygroundOptions = DEFAULT_PLAYGROUND_OPTIONS): Dataset {
  const info = BUILT_IN_DATASETS[id];
  const generated = generatePoints(id, options);
  const features = new Float32Array(generated.count * 2);
  for (let i = 0; i < generated.count; i++) {
    features[i * 2] = generated.x[i]!;
    features[i * 2 + 1] = generated.y[i]!;
  }
  const rows = stratifiedSplit(generated.classIndices, info.classes.length, options.seed);
  const splits = Object.fromEntries((Object.keys(rows) as Split[]).map((split) => [split, takeRows(features, generated.classIndices, 2, rows[split])])) as Record<
    Split,
    ReturnType<typeof takeRows>
  >;
  return inMemoryDataset({ id, name: info.name, inputShape: info.inputShape, classes: info.classes, classNoun: info.classNoun, exampleName: info.exampleName, splits });
}
