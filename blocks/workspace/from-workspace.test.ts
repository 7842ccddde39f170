import { describe, expect, it } from 'vitest';
import { mnistCnnWorkspace } from '../templates/mnist-cnn';
import { specFromWorkspace } from './from-workspace';
import { SPEC_VERSION, modelSpecSchema } from '../format/model-spec';

/** Shaped like Blockly.serialization.workspaces.save output, with Blockly-style random ids. */
const saved = {
  blocks: {
    languageVersion: 0,
    blocks: [
      {
        type: 'model',
        id: 'Qm!7z{a]9K;x1v@Lc0pE',
        x: 38,
        y: 62,
        fields: { NAME: '  Digits  ' },
        inputs: {
          LAYERS: {
            block: {
              type: 'layer_input',
              id: 'in$1',
              fields: { shape: '28, 28, 1' },
              next: {
                block: {
                  type: 'layer_flatten',
                  id: 'fl#2',
                  next: {
                    block: {
                      type: 'layer_dropout',
                      id: 'off',
                      enabled: false,
                      fields: { rate: 0.5 },
                      next: {
                        block: {
                          type: 'layer_dense',
                          id: 'de%3',
                          // Saved before kernelInitializer etc. existed: those fall back to defaults.
                          fields: { units: 10, activation: 'softmax', useBias: true, SHOW_ADVANCED: true },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
      { type: 'layer_dense', id: 'stray', x: 400, y: 10, fields: { units: 5 }, next: { block: { type: 'layer_flatten', id: 'stray2' } } },
    ],
  },
};

describe('specFromWorkspace', () => {
  it('reads the layer stack inside the model block into a sequential chain', () => {
    const { spec, modelBlockId, diagnostics } = specFromWorkspace(saved);
    expect(modelBlockId).toBe('Qm!7z{a]9K;x1v@Lc0pE');
    expect(spec).toEqual({
      specVersion: SPEC_VERSION,
      kind: 'sequential',
      name: 'Digits',
      layers: [
        { id: 'in$1', type: 'input', args: { shape: [28, 28, 1] }, inputs: [] },
        { id: 'fl#2', type: 'flatten', args: {}, inputs: ['in$1'] },
        // The disabled Dropout block is skipped, as Blockly skips disabled blocks when generating code.
        { id: 'de%3', type: 'dense', args: { units: 10, activation: 'softmax', useBias: true }, inputs: ['fl#2'] },
      ],
      inputs: ['in$1'],
      outputs: ['de%3'],
    });
    expect(modelSpecSchema.safeParse(spec).success).toBe(true);
    expect(diagnostics).toEqual([
      {
        blockId: 'stray',
        severity: 'warning',
        code: 'stray-block',
        message: 'This Dense block is not inside the model block, so it is ignored, together with the blocks stuck below it.',
        fix: 'Drag it into the model block if you want it in your model, or delete it.',
      },
    ]);
  });

  it('reads every argument of the template blocks with its type', () => {
    const { spec } = specFromWorkspace(mnistCnnWorkspace());
    expect(spec!.layers[1]).toEqual({
      id: 'mnist-cnn-2-conv2d',
      type: 'conv2d',
      args: {
        filters: 8,
        kernelSize: 3,
        strides: 1,
        padding: 'valid',
        activation: 'relu',
        useBias: true,
        dataFormat: 'channelsLast',
        dilationRate: 1,
        kernelInitializer: 'glorotNormal',
        kernelRegularizer: 'none',
        kernelConstraint: 'none',
        biasInitializer: 'zeros',
        biasRegularizer: 'none',
        biasConstraint: 'none',
        activityRegularizer: 'none',
      },
      inputs: ['mnist-cnn-1-input'],
    });
    expect(spec!.layers[2]!.args).toEqual({ poolSize: 2, strides: null, padding: 'valid', dataFormat: 'channelsLast' });
  });

  it('treats an empty workspace as one without a model block', () => {
    // Blockly saves an empty workspace as {}.
    const result = specFromWorkspace({});
    expect(result.spec).toBeNull();
    expect(result.diagnostics.map((d) => d.code)).toEqual(['no-model-block']);
  });

  it('flags a second model block', () => {
    const model = saved.blocks.blocks[0]!;
    const result = specFromWorkspace({ blocks: { languageVersion: 0, blocks: [model, { ...model, id: 'second' }] } });
    expect(result.diagnostics).toMatchObject([{ blockId: 'second', code: 'extra-model-block', severity: 'error' }]);
    expect(result.spec!.layers).toHaveLength(3);
  });

  it('flags blocks it does not know and keeps the chain around them', () => {
    const ws = {
      blocks: {
        languageVersion: 0,
        blocks: [
          {
            type: 'model',
            id: 'm',
            inputs: {
              LAYERS: {
                block: {
                  type: 'layer_input',
                  id: 'a',
                  fields: { shape: '4' },
                  next: { block: { type: 'controls_if', id: 'b', next: { block: { type: 'layer_dense', id: 'c', fields: { units: 2 } } } } },
                },
              },
            },
          },
        ],
      },
    };
    const { spec, diagnostics } = specFromWorkspace(ws);
    expect(diagnostics).toMatchObject([{ blockId: 'b', code: 'unknown-block', message: expect.stringContaining('"controls_if"') }]);
    expect(spec!.layers.map((l) => [l.id, l.inputs])).toEqual([
      ['a', []],
      ['c', ['a']],
    ]);
    expect(spec!.name).toBe('model');
  });

  it('never throws on garbage', () => {
    const looped: Record<string, unknown> = { type: 'layer_flatten', id: 'x' };
    looped.next = { block: looped };
    const garbage: unknown[] = [
      null,
      undefined,
      7,
      'blocks',
      [],
      { blocks: 3 },
      { blocks: { blocks: 'no' } },
      { blocks: { blocks: [null, 1, { type: 5 }] } },
      { blocks: { blocks: [{ type: 'model', id: 'm', inputs: { LAYERS: { block: looped } } }] } },
      { blocks: { blocks: [{ type: 'model', id: 'm', inputs: { LAYERS: { block: { type: 'layer_dense', fields: { units: 3 } } } } }] } },
    ];
    for (const g of garbage) {
      const result = specFromWorkspace(g);
      expect(Array.isArray(result.diagnostics)).toBe(true);
    }
    expect(specFromWorkspace(null).diagnostics.map((d) => d.code)).toEqual(['unreadable-workspace']);
    expect(specFromWorkspace(garbage[8]).spec!.layers).toHaveLength(1);
    expect(specFromWorkspace(garbage[9]).diagnostics.map((d) => d.code)).toEqual(['bad-block-id']);
  });
});
