import type { CompiledLayer } from '../../blocks/compile';
import { getLayer } from '../../blocks/catalog';
import { CATEGORIES } from '../../blocks/catalog/categories';
import type { ModelSpec } from '../../blocks/format/model-spec';
import { formatParams, formatShape } from '../model/format';

/**
 * Where each layer of a network goes in the teacher's compact picture. Pure, so it is tested
 * without a browser: rows follow the data from input to output (parallel branches share a
 * row), lanes keep branches apart, and an edge that jumps over layers in its own lane (a
 * residual connection) is marked so the picture can bow it around them.
 */
export interface NetworkNode {
  id: string;
  label: string;
  /** A few words of the settings that matter most ("64 units · relu"); "" when there are none. */
  detail: string;
  /** "28 × 28 × 1", or "—" when it cannot be worked out. */
  shape: string;
  /** "1,234" or "—". */
  params: string;
  colour: string;
  row: number;
  lane: number;
  x: number;
  y: number;
  /** 0..1: how many numbers come out, on a log scale against the largest layer, drawn as a bar. */
  size: number;
}

export interface NetworkEdge {
  from: string;
  to: string;
  /** Points of the path: straight down, a bend between lanes, or a bow around layers it skips. */
  kind: 'straight' | 'bend' | 'skip';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface NetworkLayout {
  nodes: NetworkNode[];
  edges: NetworkEdge[];
  width: number;
  height: number;
  lanes: number;
  rows: number;
  totalParams: string;
}

export const NODE_WIDTH = 240;
export const NODE_HEIGHT = 46;
const GAP_X = 36;
const GAP_Y = 10;
/** Room on the right of the last lane for residual edges to bow out. */
const SKIP_ROOM = 28;

const CATEGORY_COLOURS = new Map<string, string>(CATEGORIES.map((c) => [c.key, c.colour]));

export function layoutNetwork(spec: Pick<ModelSpec, 'layers'>, compiled: readonly CompiledLayer[]): NetworkLayout {
  const traces = new Map(compiled.map((l) => [l.id, l]));
  const known = new Set<string>();
  const layers = spec.layers.filter((l) => (known.has(l.id) ? false : (known.add(l.id), true)));
  const consumers = new Map<string, string[]>();
  for (const layer of layers) {
    for (const input of layer.inputs) {
      if (!known.has(input)) continue;
      consumers.set(input, [...(consumers.get(input) ?? []), layer.id]);
    }
  }

  // Row: the longest path from an input, so layers of parallel branches sit side by side.
  // Specs list layers so that inputs come first; an input named later (a damaged spec) is ignored.
  const row = new Map<string, number>();
  for (const layer of layers) {
    const above = layer.inputs.map((i) => row.get(i)).filter((r): r is number => r !== undefined);
    row.set(layer.id, above.length ? Math.max(...above) + 1 : 0);
  }
  const order = [...layers].sort((a, b) => row.get(a.id)! - row.get(b.id)! || layers.indexOf(a) - layers.indexOf(b));

  // Lanes: a layer continues the lane of its first input unless that lane was already taken by
  // another consumer; a lane is free again once every consumer of its last layer is placed.
  const lane = new Map<string, number>();
  const laneTaken = new Set<string>();
  const busy: (string | null)[] = [];
  const placed = new Set<string>();
  const freeLane = () => {
    const index = busy.indexOf(null);
    return index >= 0 ? index : busy.length;
  };
  for (const layer of order) {
    const inputs = layer.inputs.filter((i) => lane.has(i));
    const inherit = inputs.find((i) => !laneTaken.has(i) && busy[lane.get(i)!] === i);
    const chosen = inherit !== undefined ? lane.get(inherit)! : freeLane();
    if (inherit !== undefined) laneTaken.add(inherit);
    lane.set(layer.id, chosen);
    placed.add(layer.id);
    for (const input of inputs) {
      const inputLane = lane.get(input)!;
      if (inputLane !== chosen && busy[inputLane] === input && (consumers.get(input) ?? []).every((c) => placed.has(c))) {
        busy[inputLane] = null;
      }
    }
    busy[chosen] = layer.id;
  }

  const sizes = new Map<string, number>();
  for (const layer of layers) {
    const shape = traces.get(layer.id)?.outputShape;
    if (shape && shape.length > 1 && shape.slice(1).every((d) => d !== null)) {
      sizes.set(layer.id, (shape.slice(1) as number[]).reduce((a, b) => a * b, 1));
    }
  }
  const largest = Math.max(2, ...sizes.values());

  const lanes = Math.max(1, busy.length);
  const rows = layers.length ? Math.max(...row.values()) + 1 : 0;
  const nodes: NetworkNode[] = order.map((layer) => {
    const trace = traces.get(layer.id);
    const definition = getLayer(layer.type);
    const count = sizes.get(layer.id);
    return {
      id: layer.id,
      label: trace?.label ?? definition?.label ?? layer.type,
      detail: layerDetail(layer.type, layer.args),
      shape: trace?.outputShape ? formatShape(trace.outputShape.slice(1)) : '—',
      params: trace?.outputShape ? formatParams(trace.params) : '—',
      colour: (definition && CATEGORY_COLOURS.get(definition.category)) ?? '#7a7a7a',
      row: row.get(layer.id)!,
      lane: lane.get(layer.id)!,
      x: lane.get(layer.id)! * (NODE_WIDTH + GAP_X),
      y: row.get(layer.id)! * (NODE_HEIGHT + GAP_Y),
      size: count === undefined ? 0 : Math.max(0.04, Math.log(Math.max(1, count)) / Math.log(largest)),
    };
  });

  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges: NetworkEdge[] = [];
  for (const layer of layers) {
    const to = byId.get(layer.id)!;
    for (const input of new Set(layer.inputs)) {
      const from = byId.get(input);
      if (!from) continue;
      const jumps = from.lane === to.lane && nodes.some((n) => n.lane === to.lane && n.row > from.row && n.row < to.row);
      edges.push({
        from: from.id,
        to: to.id,
        kind: jumps ? 'skip' : from.lane === to.lane ? 'straight' : 'bend',
        x1: from.x + NODE_WIDTH / 2,
        y1: from.y + NODE_HEIGHT,
        x2: to.x + NODE_WIDTH / 2,
        y2: to.y,
      });
    }
  }

  const hasSkip = edges.some((e) => e.kind === 'skip');
  const traced = compiled.length > 0 && compiled.every((l) => l.outputShape);
  const total = compiled.reduce((sum, l) => sum + l.params, 0);
  return {
    nodes,
    edges,
    lanes,
    rows,
    width: lanes * NODE_WIDTH + (lanes - 1) * GAP_X + (hasSkip ? SKIP_ROOM : 0),
    height: rows ? rows * NODE_HEIGHT + (rows - 1) * GAP_Y : 0,
    totalParams: compiled.length === 0 ? '—' : traced ? formatParams(total) : `at least ${formatParams(total)}`,
  };
}

/** The one or two settings a teacher looks for first, in the words the blocks use. */
export function layerDetail(type: string, args: Record<string, unknown>): string {
  const parts: string[] = [];
  const num = (name: string) => (typeof args[name] === 'number' ? (args[name] as number) : null);
  const size = (name: string) => {
    const value = args[name];
    if (typeof value === 'number') return `${value}×${value}`;
    if (Array.isArray(value) && value.every((v) => typeof v === 'number')) return value.join('×');
    return null;
  };
  if (num('units') !== null) parts.push(`${num('units')} units`);
  if (num('filters') !== null) parts.push(`${num('filters')} filters`);
  const kernel = size('kernelSize');
  if (kernel) parts.push(kernel);
  const pool = size('poolSize');
  if (pool) parts.push(pool);
  if (num('rate') !== null) parts.push(`rate ${num('rate')}`);
  if (typeof args.activation === 'string' && args.activation !== 'linear') parts.push(args.activation);
  return parts.join(' · ');
}
