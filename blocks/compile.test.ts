import { describe, expect, it } from 'vitest';
import { compileCell, compileSpec } from './compile';
import { modelWorkspace } from './templates/build';
import { mnistCnnWorkspace } from './templates/mnist-cnn';

describe('compileCell', () => {
  it('returns spec, shapes, code and no problems for a good model', () => {
    const result = compileCell(mnistCnnWorkspace());
    expect(result.diagnostics).toEqual([]);
    expect(result.spec?.layers).toHaveLength(8);
    expect(result.code.startsWith('const model = tf.sequential();\n')).toBe(true);
    // The same spec compiled again gives the same result: what the server re-checks matches.
    expect(compileSpec(result.spec)).toEqual(result);
  });

  it('keeps showing code, with a warning line, while blocks have problems', () => {
    const result = compileCell(modelWorkspace('t', 'x', [{ key: 'input', args: { shape: [28, 28, 1] } }, { key: 'dense', args: { units: 10 } }]));
    expect(result.spec).toBeNull();
    expect(result.code).toBe(
      `// This code won't run yet: fix the problems shown on the blocks first.
const model = tf.sequential();
model.add(tf.layers.dense({inputShape: [28, 28, 1], units: 10}));
`,
    );
    expect(result.layers.map((l) => l.id)).toEqual(['t-1-input', 't-2-dense']);
  });

  it('stray blocks are only a warning: the model still compiles', () => {
    const ws = mnistCnnWorkspace();
    ws.blocks!.blocks.push({ type: 'layer_flatten', id: 'loose', x: 500, y: 0 });
    const result = compileCell(ws);
    expect(result.diagnostics.map((d) => [d.code, d.severity])).toEqual([['stray-block', 'warning']]);
    expect(result.spec).not.toBeNull();
  });

  it('never throws, whatever it is given', () => {
    const hostile = {
      get blocks(): never {
        throw new Error('boom');
      },
    };
    for (const input of [undefined, null, 0, 'x', [], {}, { blocks: { blocks: [{ type: 'model' }] } }, hostile]) {
      const result = compileCell(input);
      expect(result.spec).toBeNull();
      expect(result.diagnostics.length).toBeGreaterThan(0);
      expect(typeof result.code).toBe('string');
    }
    expect(compileCell(hostile).diagnostics.map((d) => d.code)).toEqual(['internal-error']);
  });

  it('trains models up to 5,000,000 parameters by default and refuses bigger ones', () => {
    const dense = (inputs: number) => modelWorkspace('t', 'x', [{ key: 'input', args: { shape: [inputs] } }, { key: 'dense', args: { units: 5000 } }]);
    // 999 × 5000 weights + 5000 biases is exactly the limit; one more input is 5000 parameters over.
    expect(compileCell(dense(999)).diagnostics).toEqual([]);
    expect(compileCell(dense(1000)).diagnostics).toMatchObject([
      { code: 'too-many-params', message: 'This model has 5,005,000 parameters; the limit is 5,000,000.' },
    ]);
  });
});
