import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAYERS } from '../blocks/catalog';
import { newModelCell } from '../blocks/spec/notebook';
import { mnistCnnWorkspace } from '../blocks/templates';

const launcher = path.join(__dirname, 'layerbook.js');
const fixtures = path.join(__dirname, '..', 'blocks', 'spec', 'fixtures');
const scratch = mkdtempSync(path.join(tmpdir(), 'layerbook-cli-'));

/** Runs the real command from an unrelated folder, as a user would. */
function layerbook(...args: string[]) {
  const result = spawnSync(process.execPath, [launcher, ...args], { cwd: scratch, encoding: 'utf8', timeout: 60_000 });
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
    const run = layerbook('train');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Unknown command "train"');
    expect(run.stderr).toContain('Usage: layerbook <command>');
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
