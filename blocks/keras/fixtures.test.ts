import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileSpec } from '../compile';
import { specFromWorkspace } from '../workspace/from-workspace';
import { importKerasJson } from '.';

/**
 * The bar for Keras files: every fixture (ten well-known models written as each Keras release
 * writes them) imports with exactly the parameters and shapes TF.js builds from the same file.
 */
const FIXTURES = path.join(__dirname, 'fixtures');
/** Keras 3 files TF.js can't read are held against the same model written by tf.keras 2.15. */
const TFJS_READS: Record<string, string> = { keras224: 'keras224', tfkeras212: 'tfkeras212', tfkeras215: 'tfkeras215', keras3: 'tfkeras215' };

const fixtureText = (dialect: string, file: string) => readFileSync(path.join(FIXTURES, dialect, file), 'utf8');
const cases = Object.keys(TFJS_READS).flatMap((dialect) =>
  readdirSync(path.join(FIXTURES, dialect))
    .filter((f) => f.endsWith('.json'))
    .map((file) => ({ dialect, file })),
);

/** reset_after=true GRUs: TF.js can't build them, and Layerbook refuses them naming the setting. */
const refusedByBoth = (dialect: string, file: string) => file === 'imdb-gru.json' && dialect !== 'keras224';

interface LayerSummary {
  name: string;
  outputShape: (number | null)[];
  params: number;
}

async function tfjsSummary(text: string): Promise<{ total: number; layers: LayerSummary[] }> {
  const model = await tf.models.modelFromJSON(JSON.parse(text));
  try {
    return {
      total: model.countParams(),
      layers: model.layers.map((l) => ({ name: l.name, outputShape: l.outputShape as (number | null)[], params: l.countParams() })),
    };
  } finally {
    model.dispose();
  }
}

/**
 * TF.js's Orthogonal initializer factorises a random matrix (QR): 13 s for one LSTM's 128×512
 * recurrent kernel on the CPU backend, four fifths of this file's time. Starting values change
 * no count and no shape, so here the same class name reads the same settings through TF.js's
 * own class and only starts the kernel at zeros.
 */
function startOrthogonalKernelsAtZero(): void {
  const Orthogonal = tf.initializers.orthogonal({}).constructor as new (args: object) => { apply(shape: number[]): tf.Tensor };
  class OrthogonalStartingAtZero extends Orthogonal {
    static className = 'Orthogonal';
    override apply(shape: number[]) {
      return tf.zeros(shape);
    }
  }
  tf.serialization.registerClass(OrthogonalStartingAtZero as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);
}

describe('Keras fixtures of every dialect import with TF.js\'s exact counts and shapes', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    startOrthogonalKernelsAtZero();
  });

  it('has the ten examples in every dialect', () => {
    for (const dialect of Object.keys(TFJS_READS)) expect(cases.filter((c) => c.dialect === dialect).length).toBeGreaterThanOrEqual(9);
  });

  it.each(cases.filter((c) => !refusedByBoth(c.dialect, c.file)))('$dialect/$file', async ({ dialect, file }) => {
    const imported = importKerasJson(JSON.parse(fixtureText(dialect, file)));
    expect(imported.diagnostics).toEqual([]);
    const compiled = compileSpec(imported.spec);
    expect(compiled.diagnostics).toEqual([]);
    const expected = await tfjsSummary(fixtureText(TFJS_READS[dialect]!, file));
    expect(compiled.totalParams).toBe(expected.total);
    // Layer by layer, by name. TF.js's Sequential models don't list their input layer, so ours is
    // compared only where TF.js lists one (functional models).
    const ours = compiled.layers.filter((l) => l.type !== 'input' || expected.layers.some((e) => e.name === l.id));
    expect(ours.map((l) => ({ name: l.id, outputShape: l.outputShape, params: l.params }))).toEqual(expected.layers);
    // The blocks made for the student (open sizes typed "any") read back as the same model.
    const fromBlocks = compileSpec(specFromWorkspace(imported.workspace).spec);
    expect(fromBlocks.diagnostics).toEqual([]);
    expect(fromBlocks.layers.map((l) => [l.outputShape, l.params])).toEqual(compiled.layers.map((l) => [l.outputShape, l.params]));
  });

  it.each(cases.filter((c) => refusedByBoth(c.dialect, c.file)))('$dialect/$file: a GRU with reset_after=true is refused, naming the setting, as TF.js refuses it', async ({ dialect, file }) => {
    const imported = importKerasJson(JSON.parse(fixtureText(dialect, file)));
    expect(imported.spec).toBeNull();
    const error = imported.diagnostics.find((d) => d.severity === 'error');
    expect(error).toMatchObject({ code: 'unsupported-setting', blockId: 'gru_1' });
    expect(error!.message).toContain('reset_after');
    expect(error!.fix).toContain('reset_after=False');
    await expect(tfjsSummary(fixtureText(TFJS_READS[dialect]!, file))).rejects.toThrow(/reset_after/);
  });
});
