import { describe, expect, it } from 'vitest';
import { compileCell } from '../compile';
import type { BlockState } from '../format/block-types';
import { initializerValueSchema } from '../format/initializer';
import { modelWorkspace } from '../templates/build';
import { compositeWorkspace } from '../templates/composite';

/** A Dense block whose "weights start as" row says `choice`, with `plugged` in its input. */
function workspaceWith(choice: string, plugged?: BlockState) {
  const ws = modelWorkspace('w', 'm', [{ key: 'input', args: { shape: [4] } }, { key: 'dense', args: { units: 4 } }]);
  const dense = ws.blocks!.blocks[0]!.inputs!.LAYERS!.block!.next!.block!;
  dense.fields = { ...dense.fields, kernelInitializer: choice };
  if (plugged) dense.inputs = { ADVANCED_kernelInitializer: { block: plugged } };
  return ws;
}
const errors = (ws: unknown) => compileCell(ws).diagnostics.filter((d) => d.severity === 'error');

describe('starting-weights blocks in a layer\'s "… start as" row', () => {
  it('are used when the dropdown says "custom": the spec holds the recipe', () => {
    const compiled = compileCell(workspaceWith('custom', { type: 'initializer_constant', id: 'c', fields: { value: 0.3 } }));
    expect(compiled.diagnostics).toEqual([]);
    expect(compiled.spec?.layers[1]?.args.kernelInitializer).toEqual({ kind: 'constant', value: 0.3 });
    expect(compiled.code).toContain('kernelInitializer: tf.initializers.constant({value: 0.3})');
  });

  it('"custom" with no block plugged in is an error on the layer saying what to drag where', () => {
    const [error] = errors(workspaceWith('custom'));
    expect(error).toMatchObject({ blockId: 'w-2-dense', code: 'invalid-arg' });
    expect(error!.message).toContain('needs a starting-weights block');
    expect(error!.fix).toContain('"Starting weights"');
  });

  it.each([
    [{ type: 'initializer_varianceScaling', id: 'v', fields: { scale: 0, mode: 'fan_in', distribution: 'uniform' } }, 'The variance scaling block in the "weights start as" row of this Dense block has a "scale" that must be more than 0.'],
    [{ type: 'initializer_randomUniform', id: 'u', fields: { minval: 1, maxval: 0 } }, 'has a "to" that must be no smaller than the lowest number'],
    [{ type: 'initializer_randomNormal', id: 'n', fields: { mean: 0, stddev: -1 } }, 'has a "spread" that must be 0 or more'],
  ])('settings that can\'t start weights are an error naming the setting (%#)', (plugged, message) => {
    const [error] = errors(workspaceWith('custom', plugged));
    expect(error).toMatchObject({ blockId: 'w-2-dense', code: 'invalid-arg' });
    expect(error!.message).toContain(message);
  });

  it('a block plugged in beside a named choice is ignored, with a warning on the block saying how to use it', () => {
    const compiled = compileCell(workspaceWith('heNormal', { type: 'initializer_orthogonal', id: 'o', fields: { gain: 2 } }));
    expect(compiled.spec?.layers[1]?.args.kernelInitializer).toBe('heNormal');
    expect(compiled.diagnostics).toEqual([expect.objectContaining({ blockId: 'o', severity: 'warning', code: 'unused-initializer-block' })]);
    expect(compiled.diagnostics[0]!.fix).toContain('custom');
  });
});

describe('starting-weights blocks inside a block the student made', () => {
  it('come with every copy; a use that picks a named choice instead gets it', () => {
    const ws = compositeWorkspace(
      'c',
      'm',
      [{ name: 'wide', settings: ['kernelInitializer'], steps: [{ key: 'dense', args: { units: 4, kernelInitializer: { kind: 'orthogonal', gain: 2 } } }] }],
      [{ key: 'input', args: { shape: [4] } }, { use: 'wide', block: true }, { use: 'wide', settings: { kernelInitializer: 'heNormal' }, block: true }],
    );
    const compiled = compileCell(ws);
    expect(compiled.spec?.layers.map((l) => l.args.kernelInitializer)).toEqual([undefined, { kind: 'orthogonal', gain: 2 }, 'heNormal']);
    expect(compiled.code).toContain('tf.initializers.orthogonal({gain: 2})');
    // The copy that picks heNormal leaves the definition's block unused for that copy alone: nothing to warn about.
    expect(compiled.diagnostics).toEqual([]);
  });
});

describe('the spec value of an initializer', () => {
  it('is a named option or a recipe with exactly its settings', () => {
    expect(initializerValueSchema.safeParse('glorotUniform').success).toBe(true);
    expect(initializerValueSchema.safeParse({ kind: 'varianceScaling', scale: 0.5, mode: 'fan_avg', distribution: 'uniform' }).success).toBe(true);
    expect(initializerValueSchema.safeParse({ kind: 'varianceScaling', scale: 1, mode: 'fan_in', distribution: 'untruncated_normal' }).success).toBe(true);
    expect(initializerValueSchema.safeParse({ kind: 'varianceScaling', scale: 1, mode: 'fan_in', distribution: 'normal' }).success).toBe(false);
    expect(initializerValueSchema.safeParse({ kind: 'constant', value: 1, extra: 2 }).success).toBe(false);
    expect(initializerValueSchema.safeParse({ kind: 'constant', value: Number.NaN }).success).toBe(false);
    expect(initializerValueSchema.safeParse({ kind: 'lucky' }).success).toBe(false);
  });
});
