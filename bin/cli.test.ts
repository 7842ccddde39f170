import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAYERS } from '../blocks/catalog';
import { confusionMatrixSchema } from '../blocks/format/confusion-matrix';
import { mistakeSentences } from '../blocks/format/confusion-words';
import { newModelCell } from '../blocks/format/notebook';
import { mnistCnnWorkspace } from '../blocks/templates';
import { openTestDatabase, type TestDatabase } from '../testing/database';
import { createCsvDataset } from '../server/services/datasets';
import { createAnonymousSession } from '../server/services/sessions';

const launcher = path.join(__dirname, 'layerbook.js');
const fixtures = path.join(__dirname, '..', 'blocks', 'keras', 'fixtures');
const scratch = mkdtempSync(path.join(tmpdir(), 'layerbook-cli-'));

/** Runs the real command from an unrelated folder, as a user would. */
function layerbook(...args: string[]) {
  return layerbookWithEnv({}, ...args);
}

function layerbookWithEnv(env: Record<string, string | undefined>, ...args: string[]) {
  const result = spawnSync(process.execPath, [launcher, ...args], { cwd: scratch, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function writeScratch(name: string, content: string): string {
  const file = path.join(scratch, name);
  writeFileSync(file, content);
  return file;
}

describe('layerbook inspect', () => {
  it('summarises a Keras 2 model like Keras does (the Keras MNIST convnet has 34,826 parameters)', () => {
    const run = layerbook('inspect', path.join(fixtures, 'keras2-mnist-convnet.json'), '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.totalParams).toBe(34_826);
    expect(report.trainableParams).toBe(34_826);
    expect(report.outputShape).toEqual([null, 10]);
    expect(report.layers.map((l: { className: string }) => l.className)).toEqual([
      'InputLayer', 'Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dropout', 'Dense',
    ]);
    expect(report.layers[1]).toEqual({ name: 'conv2d', className: 'Conv2D', outputShape: [null, 26, 26, 32], params: 320 });
    expect(report.diagnostics).toEqual([]);
  });

  // The CIFAR-10 CNN with BatchNormalization: convolutions 896 + 9,248 + 18,496, Dense
  // 3,136·512+512 and 5,130, BatchNormalization 4 numbers per channel (32+32+64+512), of which
  // the moving mean and variance (2 per channel, 1,280) are not trained.
  it.each(['keras224', 'tfkeras212', 'tfkeras215', 'keras3'])('gives exact counts for a %s file', (dialect) => {
    const run = layerbook('inspect', path.join(fixtures, dialect, 'cifar10-cnn-bn.json'), '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.diagnostics).toEqual([]);
    expect(report.totalParams).toBe(896 + 9_248 + 18_496 + (3_136 * 512 + 512) + 5_130 + 4 * (32 + 32 + 64 + 512));
    expect(report.trainableParams).toBe(report.totalParams - 2 * (32 + 32 + 64 + 512));
    expect(report.layers.find((l: { name: string }) => l.name === 'batch_normalization_1')).toMatchObject({ outputShape: [null, 32, 32, 32], params: 128 });
  });

  it('shows an input of any length as None', () => {
    const run = layerbook('inspect', path.join(fixtures, 'keras224', 'text-any-length.json'), '--json');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.layers[0]).toMatchObject({ className: 'InputLayer', outputShape: [null, null] });
    expect(report.layers[1]).toMatchObject({ name: 'embedding_1', outputShape: [null, null, 16], params: 160_000 });
    expect(report.totalParams).toBe(160_000 + 16 * 16 + 16 + 16 + 1);
  });

  it('refuses a GRU with reset_after=True, naming the setting', () => {
    const run = layerbook('inspect', path.join(fixtures, 'tfkeras215', 'imdb-gru.json'));
    expect(run.code).not.toBe(0);
    expect(run.stdout + run.stderr).toContain('reset_after');
  });

  it('reads the first model cell of a notebook export and prints a table', () => {
    const notebook = { title: 'Digits', cells: [{ id: 'a', type: 'markdown', source: '# hi' }, newModelCell('m', mnistCnnWorkspace() as Record<string, unknown>)] };
    const run = layerbook('inspect', writeScratch('notebook.json', JSON.stringify(notebook)));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Conv2D\s+\(None, 26, 26, 8\)\s+80/);
    expect(run.stdout).toContain('Total params: 27,562');
  });

  it('counts BatchNormalization statistics as not trainable', () => {
    const spec = {
      specVersion: 1, kind: 'sequential', name: 'bn',
      layers: [
        { id: 'in', type: 'input', args: { shape: [4] }, inputs: [] },
        { id: 'bn', type: 'batchNormalization', args: {}, inputs: ['in'] },
      ],
      inputs: ['in'], outputs: ['bn'],
    };
    const report = JSON.parse(layerbook('inspect', writeScratch('spec.json', JSON.stringify(spec)), '--json').stdout);
    expect(report).toMatchObject({ totalParams: 16, trainableParams: 8 });
  });

  it('says where broken JSON is broken, on stderr, with a non-zero exit', () => {
    const run = layerbook('inspect', writeScratch('broken.json', '{\n  "class_name": "Sequential",\n}'));
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/not valid JSON.*line 3, column 1/);
  });

  it('names an unknown Keras layer and the layer using it', () => {
    const run = layerbook('inspect', writeScratch('odd.json', JSON.stringify({
      class_name: 'Sequential',
      config: { name: 'm', layers: [{ class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 4] } }, { class_name: 'Frobnicate', config: { name: 'frob' } }] },
    })));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('"frob" is a Frobnicate');
  });

  it('reports a missing file plainly', () => {
    const run = layerbook('inspect', 'nope.json');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("can't read nope.json: there is no such file");
  });
});

describe('layerbook code', () => {
  it('prints the TF.js code of a Keras file', () => {
    const run = layerbook('code', path.join(fixtures, 'keras3-mnist-mlp.json'), '--lang', 'tfjs');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("model.add(tf.layers.dense({inputShape: [784], units: 64, activation: 'relu', kernelInitializer: 'glorotUniform'}));");
  });

  it('refuses an unknown language with the list of known ones', () => {
    const run = layerbook('code', path.join(fixtures, 'keras3-mnist-mlp.json'), '--lang', 'cobol');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Unknown language "cobol"; use one of tfjs');
  });
});

describe('layerbook layers', () => {
  it('lists every catalogue layer with Keras argument names', () => {
    const run = layerbook('layers', '--json');
    expect(run.code).toBe(0);
    const { layers } = JSON.parse(run.stdout);
    expect(layers.map((l: { className: string }) => l.className)).toEqual(LAYERS.map((l) => l.kerasClass));
    const conv = layers.find((l: { className: string }) => l.className === 'Conv2D');
    expect(conv.args.find((a: { name: string }) => a.name === 'kernelSize')).toMatchObject({ kerasName: 'kernel_size', type: 'intOrPair' });
  });
});

describe('usage', () => {
  it('prints help with --help and exits 0', () => {
    const run = layerbook('--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: layerbook <command>');
  });

  it('answers an unknown command with the usage and exit code 2', () => {
    const run = layerbook('fly');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Unknown command "fly"');
    expect(run.stderr).toContain('Usage: layerbook <command>');
  });
});

describe('layerbook train', () => {
  /** A small Keras 2 classifier for the four iris measurements and three species. */
  const irisMlp = (hiddenUnits = 16) =>
    writeScratch(`iris-mlp-${hiddenUnits}.json`, JSON.stringify({
      class_name: 'Sequential',
      config: {
        name: 'iris',
        layers: [
          { class_name: 'InputLayer', config: { name: 'measurements', batch_input_shape: [null, 4] } },
          { class_name: 'Dense', config: { name: 'hidden', units: hiddenUnits, activation: 'relu' } },
          { class_name: 'Dense', config: { name: 'species', units: 3, activation: 'softmax' } },
        ],
      },
    }));
  // An unset limit means the default; the test runner's own environment must not change that.
  const defaultLimit = { LAYERBOOK_MAX_PARAMS: undefined };

  it('trains an MLP on iris and prints one JSON object with the results, progress on stderr', () => {
    const run = layerbookWithEnv(defaultLimit, 'train', irisMlp(), '--dataset', 'iris', '--epochs', '5', '--batch-size', '16', '--json');
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(Object.keys(report).sort()).toEqual(['backend', 'epochs', 'samplesPerSec', 'test']);
    expect(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).toContain(report.backend);
    expect(report.samplesPerSec).toBeGreaterThan(0);
    expect(report.epochs).toHaveLength(5);
    for (const epoch of report.epochs) {
      expect(Object.keys(epoch).sort()).toEqual(['accuracy', 'loss', 'seconds']);
      expect(epoch.loss).toBeGreaterThan(0);
      expect(epoch.accuracy).toBeGreaterThanOrEqual(0);
      expect(epoch.accuracy).toBeLessThanOrEqual(1);
      expect(epoch.seconds).toBeGreaterThan(0);
    }
    // It really trained: the loss falls from the first epoch to the last.
    expect(report.epochs[4].loss).toBeLessThan(report.epochs[0].loss);
    expect(report.test.accuracy).toBeGreaterThan(0);
    expect(report.test.accuracy).toBeLessThanOrEqual(1);
    // The confusion matrix a run in the app keeps: one row and column per species, counted in
    // the same pass over the test split as the accuracy, so its diagonal is the accuracy.
    const { confusionMatrix } = report.test;
    expect(Object.keys(report.test).sort()).toEqual(['accuracy', 'confusionMatrix']);
    expect(confusionMatrixSchema.parse(confusionMatrix)).toEqual(confusionMatrix);
    expect(confusionMatrix.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    const counts: number[][] = confusionMatrix.counts;
    const testExamples = counts.flat().reduce((a, b) => a + b, 0);
    expect(testExamples).toBeGreaterThan(0);
    expect(counts.reduce((right, row, i) => right + row[i]!, 0) / testExamples).toBeCloseTo(report.test.accuracy, 5);
    expect(run.stderr).toContain(`Training on Iris flowers with the ${report.backend} backend: 5 epochs, batches of 16.`);
    expect(run.stderr).toMatch(/^Epoch 5: loss \d\.\d{4}, accuracy \d+\.\d%, val loss/m);
  });

  it('prints the test accuracy, the confusion matrix as a table and the app\'s sentence about it without --json', () => {
    const run = layerbook('train', irisMlp(), '--dataset', 'iris', '--epochs', '3');
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Test accuracy: \d+\.\d%/);
    expect(lines[1]).toBe('Confusion matrix on the test split:');
    expect(lines[2]).toMatch(/^ {2}true \\ answered +setosa +versicolor +virginica$/);
    const rows = lines.slice(3, 6).map((line) => line.trim().split(/ +/));
    expect(rows.map(([species]) => species)).toEqual(['setosa', 'versicolor', 'virginica']);
    for (const row of rows) expect(row.slice(1)).toEqual([expect.stringMatching(/^\d+$/), expect.stringMatching(/^\d+$/), expect.stringMatching(/^\d+$/)]);
    // The table's own figures give the sentence the app would show under it.
    const matrix = { classes: ['setosa', 'versicolor', 'virginica'], counts: rows.map((row) => row.slice(1).map(Number)) };
    expect(lines.slice(6)).toEqual(mistakeSentences(matrix));
  });

  it('saves the trained model as TF.js files that load and predict', async () => {
    const folder = path.join(scratch, 'saved-iris');
    const run = layerbook('train', irisMlp(8), '--dataset', 'iris', '--epochs', '1', '--save', folder, '--json');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`Saved the trained model as ${path.join(folder, 'model.json')}`);
    const modelJson = JSON.parse(readFileSync(path.join(folder, 'model.json'), 'utf8'));
    expect(modelJson.weightsManifest.map((group: { paths: string[] }) => group.paths)).toEqual([['weights.bin']]);
    const weights = readFileSync(path.join(folder, 'weights.bin'));
    // 4·8+8 + 8·3+3 float32 numbers.
    expect(weights.byteLength).toBe(67 * 4);

    await tf.setBackend('cpu');
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0].weights, weightData: new Uint8Array(weights).buffer }),
    );
    const prediction = model.predict(tf.tensor2d([[0.1, -0.2, 0.3, 0.4]])) as tf.Tensor;
    const probabilities = Array.from(prediction.dataSync());
    expect(probabilities).toHaveLength(3);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    model.dispose();
  });

  it('names the datasets there are when asked for one that does not exist', () => {
    const run = layerbook('train', irisMlp(), '--dataset', 'flowers', '--epochs', '5');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      'There is no dataset called "flowers". Use one of: mnist, iris, circle, xor, gaussian, spiral, or the id of an uploaded dataset ("datasetId" in an exported notebook).',
    );
  });

  it('refuses a model that does not fit the dataset, with the notebook\'s words, before training', () => {
    const run = layerbook('train', path.join(fixtures, 'keras3-mnist-mlp.json'), '--dataset', 'iris', '--epochs', '5', '--json');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Your Input block says 784 but the Iris flowers data has 4 numbers per example. Set the Input shape to 4.');
    expect(run.stderr).toContain('The last layer gives [10] numbers per example, but Iris flowers has 3 species.');
    expect(run.stderr).not.toContain('Training on');
  });

  it('refuses a model over the parameter limit before training, from LAYERBOOK_MAX_PARAMS or the default', () => {
    const small = layerbookWithEnv({ LAYERBOOK_MAX_PARAMS: '100' }, 'train', irisMlp(), '--dataset', 'iris', '--epochs', '5');
    expect(small.code).toBe(1);
    expect(small.stderr).toContain('This model has 131 parameters; the limit is 100.');
    expect(small.stderr).not.toContain('Training on');

    // (4·3000+3000) + (3000·3000+3000) + (3000·3+3) parameters: over the server's 5,000,000.
    const huge = layerbookWithEnv(defaultLimit, 'train', irisMlpWithTwoHidden(3000), '--dataset', 'iris', '--epochs', '1');
    expect(huge.code).toBe(1);
    expect(huge.stderr).toContain('This model has 9,027,003 parameters; the limit is 5,000,000.');
    expect(huge.stderr).not.toContain('Training on');
  });

  it('trains a model above the default limit when LAYERBOOK_MAX_PARAMS allows it, Keras import included', () => {
    const run = layerbookWithEnv({ LAYERBOOK_MAX_PARAMS: '10000000' }, 'train', irisMlpWithTwoHidden(3000), '--dataset', 'iris', '--epochs', '1', '--json');
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).epochs).toHaveLength(1);
  });

  function irisMlpWithTwoHidden(units: number) {
    return writeScratch(`iris-big-${units}.json`, JSON.stringify({
      class_name: 'Sequential',
      config: {
        name: 'big',
        layers: [
          { class_name: 'InputLayer', config: { name: 'measurements', batch_input_shape: [null, 4] } },
          { class_name: 'Dense', config: { name: 'first', units, activation: 'relu' } },
          { class_name: 'Dense', config: { name: 'second', units, activation: 'relu' } },
          { class_name: 'Dense', config: { name: 'species', units: 3, activation: 'softmax' } },
        ],
      },
    }));
  }

  it('explains a wrong number of epochs with the allowed range', () => {
    const run = layerbook('train', irisMlp(), '--dataset', 'iris', '--epochs', 'ten');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--epochs needs a whole number from 1 to 100, like --epochs 10; got "ten".');
  });
});

describe('layerbook train on an uploaded dataset', () => {
  /** Two numbers in, two classes out: for the points a CSV upload holds. */
  const pointsMlp = () =>
    writeScratch('points-mlp.json', JSON.stringify({
      class_name: 'Sequential',
      config: {
        name: 'points',
        layers: [
          { class_name: 'InputLayer', config: { name: 'xy', batch_input_shape: [null, 2] } },
          { class_name: 'Dense', config: { name: 'hidden', units: 8, activation: 'relu' } },
          { class_name: 'Dense', config: { name: 'side', units: 2, activation: 'softmax' } },
        ],
      },
    }));
  let database: TestDatabase;
  let datasetId: string;

  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    const { user } = await createAnonymousSession(database.db);
    const rows = Array.from({ length: 300 }, (_, i) => {
      const [x, y] = [Math.sin(i * 1.3), Math.cos(i * 2.1)];
      return `${x},${y},${x > y ? 'above' : 'below'}`;
    });
    const uploaded = await createCsvDataset(database.db, user.id, new TextEncoder().encode(`x,y,side\n${rows.join('\n')}`), {
      name: 'Sides',
      label: 'side',
      features: [
        { column: 'x', as: 'number' },
        { column: 'y', as: 'number' },
      ],
      normalization: 'none',
      split: { train: 70, validation: 15, test: 15 },
      seed: 2,
    });
    datasetId = uploaded.id;
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('trains on it by id, reading it from the database in DATABASE_URL, and prints one JSON object', () => {
    const run = layerbookWithEnv({ DATABASE_URL: database.url! }, 'train', pointsMlp(), '--dataset', datasetId, '--epochs', '25', '--batch-size', '8', '--json');
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Training on "Sides"');
    const report = JSON.parse(run.stdout);
    expect(report.epochs).toHaveLength(25);
    // It really learned the stored rows: which side of the line x = y a point is on.
    expect(report.epochs.at(-1).loss).toBeLessThan(report.epochs[0].loss);
    expect(report.test.accuracy).toBeGreaterThan(0.8);
  });

  it('says where an uploaded dataset lives when DATABASE_URL is not set', () => {
    const run = layerbookWithEnv({ DATABASE_URL: '' }, 'train', pointsMlp(), '--dataset', datasetId, '--epochs', '4');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain("An uploaded dataset lives in the school server's database");
    expect(run.stderr).toContain(`DATABASE_URL=postgres://layerbook:secret@school-server:5432/layerbook npx layerbook train model.json --dataset ${datasetId}`);
  });

  it('says so when the database has no dataset with that id, and checks the model against the one it has', () => {
    const missing = layerbookWithEnv({ DATABASE_URL: database.url! }, 'train', pointsMlp(), '--dataset', '00000000-0000-4000-8000-000000000000', '--epochs', '1');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('There is no uploaded dataset with the id 00000000-0000-4000-8000-000000000000 in the database at');
    const misfit = layerbookWithEnv({ DATABASE_URL: database.url! }, 'train', path.join(fixtures, 'keras3-mnist-mlp.json'), '--dataset', datasetId, '--epochs', '1');
    expect(misfit.code).toBe(1);
    expect(misfit.stderr).toContain('the Sides data has 2 numbers per example');
    expect(misfit.stderr).toContain('Not trained: fix the problems above first.');
  });
});

describe('layerbook worker', () => {
  const worker = (...args: string[]) => {
    const result = spawnSync(process.execPath, [launcher, 'worker', ...args], {
      cwd: scratch,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, DATABASE_URL: '' },
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  it('explains that a worker needs the web server\'s PostgreSQL address, with an example', () => {
    const run = worker();
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/needs that server's PostgreSQL database/);
    expect(run.stderr).toMatch(/DATABASE_URL=postgres:\/\/.* npx layerbook worker/);
  });

  it('refuses a number of processes that is not a whole number above 0', () => {
    const run = worker('--processes', '0');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--processes needs a whole number above 0/);
  });
});
