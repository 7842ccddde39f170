import { describe, expect, it } from 'vitest';
import { compileSpec } from '../../blocks/compile';
import type { LayerNode, ModelSpec } from '../../blocks/format/model-spec';
import { layerDetail, layoutNetwork, NODE_HEIGHT, NODE_WIDTH } from './network-layout';

function spec(layers: LayerNode[]): ModelSpec {
  return { specVersion: 1, kind: 'functional', name: 'm', layers, inputs: [layers[0]!.id], outputs: [layers[layers.length - 1]!.id] };
}
const node = (id: string, type: string, inputs: string[], args: Record<string, unknown> = {}): LayerNode => ({ id, type, inputs, args });

function layout(s: ModelSpec) {
  return layoutNetwork(s, compileSpec(s).layers);
}

describe('layoutNetwork', () => {
  it('stacks a plain network in one lane, top to bottom, with shapes and parameters', () => {
    const s = spec([
      node('in', 'input', [], { shape: [28, 28, 1] }),
      node('conv', 'conv2d', ['in'], { filters: 8, kernelSize: 3, activation: 'relu' }),
      node('flat', 'flatten', ['conv']),
      node('out', 'dense', ['flat'], { units: 10, activation: 'softmax' }),
    ]);
    const result = layout(s);
    expect(result.nodes.map((n) => [n.id, n.row, n.lane])).toEqual([
      ['in', 0, 0],
      ['conv', 1, 0],
      ['flat', 2, 0],
      ['out', 3, 0],
    ]);
    const conv = result.nodes.find((n) => n.id === 'conv')!;
    expect(conv).toMatchObject({ label: 'Conv2D', shape: '26 × 26 × 8', params: '80', detail: '8 filters · 3×3 · relu' });
    expect(result.nodes.find((n) => n.id === 'out')).toMatchObject({ shape: '10', params: '54,090' });
    expect(result.totalParams).toBe('54,170');
    expect(result.edges.every((e) => e.kind === 'straight')).toBe(true);
    expect(result.width).toBe(NODE_WIDTH);
    expect(result.height).toBeGreaterThanOrEqual(4 * NODE_HEIGHT);
    // The biggest output (26×26×8) gets the full bar; the 10 outputs a short one.
    expect(conv.size).toBe(1);
    expect(result.nodes.find((n) => n.id === 'out')!.size).toBeLessThan(0.5);
  });

  it('puts two parallel branches side by side and joins them at the merge', () => {
    const s = spec([
      node('in', 'input', [], { shape: [16] }),
      node('a', 'dense', ['in'], { units: 8 }),
      node('b', 'dense', ['in'], { units: 8 }),
      node('b2', 'dense', ['b'], { units: 8 }),
      node('join', 'concatenate', ['a', 'b2']),
      node('out', 'dense', ['join'], { units: 2 }),
    ]);
    const result = layout(s);
    const at = (id: string) => result.nodes.find((n) => n.id === id)!;
    expect(at('a').row).toBe(at('b').row);
    expect(at('a').lane).not.toBe(at('b').lane);
    expect(at('b2').lane).toBe(at('b').lane);
    // The merge comes after the longer branch.
    expect(at('join').row).toBe(at('b2').row + 1);
    expect(at('out').lane).toBe(at('join').lane);
    expect(result.lanes).toBe(2);
    expect(result.edges.filter((e) => e.kind === 'bend')).toHaveLength(2);
    // No two layers overlap.
    const places = new Set(result.nodes.map((n) => `${n.x},${n.y}`));
    expect(places.size).toBe(result.nodes.length);
  });

  it('draws a residual connection as a bow around the layers it skips, and reuses lanes after a merge', () => {
    const s = spec([
      node('in', 'input', [], { shape: [16] }),
      node('d1', 'dense', ['in'], { units: 16 }),
      node('d2', 'dense', ['d1'], { units: 16 }),
      node('d3', 'dense', ['d2'], { units: 16 }),
      node('sum', 'add', ['d1', 'd3']),
      node('out', 'dense', ['sum'], { units: 2 }),
    ]);
    const result = layout(s);
    expect(result.lanes).toBe(1);
    expect(result.edges.find((e) => e.from === 'd1' && e.to === 'sum')!.kind).toBe('skip');
    expect(result.width).toBeGreaterThan(NODE_WIDTH);
  });

  it('still draws a model whose shapes cannot be worked out, saying so', () => {
    const s = spec([node('in', 'input', [], { shape: [28, 28, 1] }), node('d', 'dense', ['in'], { units: 4 })]);
    const result = layout(s);
    expect(result.nodes.find((n) => n.id === 'd')!.shape).toBe('—');
    expect(result.totalParams).toMatch(/^at least /);
  });

  it('draws nothing for an empty model', () => {
    const result = layoutNetwork({ layers: [] }, []);
    expect(result).toMatchObject({ nodes: [], edges: [], rows: 0, height: 0, totalParams: '—' });
  });
});

describe('layerDetail', () => {
  it('names the settings a teacher looks for', () => {
    expect(layerDetail('dense', { units: 128, activation: 'relu' })).toBe('128 units · relu');
    expect(layerDetail('maxPooling2d', { poolSize: [2, 2] })).toBe('2×2');
    expect(layerDetail('dropout', { rate: 0.25 })).toBe('rate 0.25');
    expect(layerDetail('dense', { units: 10, activation: 'linear' })).toBe('10 units');
    expect(layerDetail('flatten', {})).toBe('');
  });
});
