import * as Blockly from 'blockly';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerLayerBlocks } from '../blockly';
import { compileCell } from '../compile';
import { STARTER_TEMPLATES, workspaceHasBlocks } from './index';

/** Blockly's saved objects have null prototypes; compare them as the JSON the database stores. */
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value));

/**
 * Parameter counts as Keras's model.summary() prints them for the same networks. LeNet-5,
 * the keras.io MNIST convnet and the two autoencoders of the Keras blog are the published
 * totals; the others are worked out with Keras's formulas, shown per layer.
 */
const KERAS_PARAMS: Record<string, number> = {
  'mnist-mlp': 784 * 128 + 128 + (128 * 10 + 10), // 101,770
  'mnist-cnn': 27_562,
  lenet5: 61_706,
  'simple-mnist-convnet': 34_826,
  // conv 1→32, 32→32, 32→64, 64→64 (3×3 + bias), Dense 7·7·64→128, Dense 128→10
  'vgg-small': 320 + 9_248 + 18_496 + 36_928 + (3_136 * 128 + 128) + 1_290,
  // Embedding 10,000×32; LSTM 4·(32·(32+32)+32); Dense 32→1
  'lstm-text-classifier': 320_000 + 8_320 + 33,
  // Conv 1→16 (160), two Conv 16→16 'same' (2,320 each), Add; pool to 14·14·16, Dense 3,136→10 (31,370)
  'residual-block': 160 + 2 * 2_320 + 31_370,
  // Conv 1→16 'same' (160), pool; Conv 16→32 'same' (4,640), pool to 7·7·32; Dense 1,568→10 (15,690)
  'conv-blocks': 160 + 4_640 + 15_690,
  'dense-autoencoder': 50_992,
  'conv-autoencoder': 4_385,
};

const OUTPUT_SHAPES: Record<string, (number | null)[]> = {
  lenet5: [null, 10],
  'simple-mnist-convnet': [null, 10],
  'vgg-small': [null, 10],
  'lstm-text-classifier': [null, 1],
  // Autoencoders give back an image the size of the one they were given.
  'dense-autoencoder': [null, 28, 28, 1],
  'conv-autoencoder': [null, 28, 28, 1],
};

beforeAll(() => registerLayerBlocks(Blockly));

describe('starter templates', () => {
  it('have unique keys and a title and description each', () => {
    expect(new Set(STARTER_TEMPLATES.map((t) => t.key)).size).toBe(STARTER_TEMPLATES.length);
    for (const t of STARTER_TEMPLATES) {
      expect(t.title.length, t.key).toBeGreaterThan(0);
      expect(t.description.length, t.key).toBeGreaterThan(10);
    }
    expect(Object.keys(KERAS_PARAMS).sort()).toEqual(STARTER_TEMPLATES.map((t) => t.key).sort());
  });

  it.each(STARTER_TEMPLATES.map((t) => [t.key, t] as const))('%s compiles without problems to Keras’s parameter count', (key, template) => {
    const result = compileCell(template.workspace());
    expect(result.diagnostics).toEqual([]);
    expect(result.spec).not.toBeNull();
    expect(result.totalParams).toBe(KERAS_PARAMS[key]);
    if (OUTPUT_SHAPES[key]) expect(result.layers.at(-1)?.outputShape).toEqual(OUTPUT_SHAPES[key]);
  });

  it.each(STARTER_TEMPLATES.map((t) => [t.key, t] as const))('%s loads into Blockly and saves back unchanged', (_key, template) => {
    const workspace = new Blockly.Workspace();
    Blockly.serialization.workspaces.load(template.workspace() as Record<string, unknown>, workspace);
    expect(asJson(Blockly.serialization.workspaces.save(workspace))).toEqual(template.workspace());
    workspace.dispose();
  });
});

describe('workspaceHasBlocks', () => {
  it('is true only when there is at least one block to lose', () => {
    expect(workspaceHasBlocks(STARTER_TEMPLATES[0]!.workspace())).toBe(true);
    expect(workspaceHasBlocks({ blocks: { languageVersion: 0, blocks: [] } })).toBe(false);
    // A brand-new cell's workspace, as Blockly saves an empty workspace.
    expect(workspaceHasBlocks({})).toBe(false);
    expect(workspaceHasBlocks(null)).toBe(false);
  });
});
