import { describe, expect, it } from 'vitest';
import { compileSpec } from '../compile';
import { SPEC_VERSION, type LayerNode, type ModelSpec } from '../format/model-spec';

function graph(layers: LayerNode[], inputs: string[], outputs: string[]): ModelSpec {
  return { specVersion: SPEC_VERSION, kind: 'functional', name: 'g', layers, inputs, outputs };
}
const node = (id: string, type: string, inputs: string[], args: Record<string, unknown> = {}): LayerNode => ({ id, type, args, inputs });

describe('merge layers in the shape checker', () => {
  it('traces a residual block: Add keeps the shape and has no parameters', () => {
    const result = compileSpec(
      graph(
        [
          node('x', 'input', [], { shape: [8, 8, 4] }),
          node('c1', 'conv2d', ['x'], { filters: 4, kernelSize: 3, padding: 'same' }),
          node('c2', 'conv2d', ['c1'], { filters: 4, kernelSize: 3, padding: 'same' }),
          node('sum', 'add', ['c2', 'x']),
        ],
        ['x'],
        ['sum'],
      ),
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.layers.find((l) => l.id === 'sum')).toMatchObject({ outputShape: [null, 8, 8, 4], params: 0 });
  });

  it('Concatenate adds up the joined axis of two inputs', () => {
    const result = compileSpec(
      graph([node('a', 'input', [], { shape: [8] }), node('b', 'input', [], { shape: [3] }), node('j', 'concatenate', ['a', 'b'])], ['a', 'b'], ['j']),
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.layers.find((l) => l.id === 'j')!.outputShape).toEqual([null, 11]);
  });

  it('names both shapes and a fix when they cannot be added', () => {
    const result = compileSpec(
      graph(
        [node('a', 'input', [], { shape: [4, 4, 8] }), node('b', 'input', [], { shape: [4, 4, 16] }), node('s', 'add', ['a', 'b'])],
        ['a', 'b'],
        ['s'],
      ),
    );
    const [problem] = result.diagnostics;
    expect(problem).toMatchObject({ blockId: 's', severity: 'error', code: 'merge-shapes-differ' });
    expect(problem!.message).toContain('4×4×8 and 4×4×16');
    expect(problem!.message).toContain('sizes 8 and 16');
    expect(problem!.fix).toMatch(/same number of units or filters/);
  });

  it('a merge with one input asks for another name', () => {
    const result = compileSpec(graph([node('a', 'input', [], { shape: [4] }), node('s', 'add', ['a'])], ['a'], ['s']));
    expect(result.diagnostics).toMatchObject([{ blockId: 's', code: 'merge-needs-more-inputs' }]);
    expect(result.diagnostics[0]!.message).toBe('This Add block combines at least 2 inputs, but it gets only 1.');
  });

  it('Dot takes exactly two inputs', () => {
    const result = compileSpec(
      graph(
        [node('a', 'input', [], { shape: [4] }), node('b', 'input', [], { shape: [4] }), node('d', 'dot', ['a', 'b', 'a'], { axes: -1 })],
        ['a', 'b'],
        ['d'],
      ),
    );
    expect(result.diagnostics).toMatchObject([{ blockId: 'd', code: 'too-many-inputs' }]);
  });

  it('warns about a branch whose output nothing uses', () => {
    const result = compileSpec(
      graph(
        [node('a', 'input', [], { shape: [4] }), node('lost', 'dense', ['a'], { units: 3 }), node('out', 'dense', ['a'], { units: 2 })],
        ['a'],
        ['out'],
      ),
    );
    expect(result.spec).not.toBeNull();
    expect(result.diagnostics).toMatchObject([{ blockId: 'lost', severity: 'warning', code: 'unused-output' }]);
  });
});
