import type { NetworkEdge, NetworkLayout } from './network-layout';
import { NODE_HEIGHT, NODE_WIDTH } from './network-layout';

/**
 * A compact picture of a network: one box per layer with its output shape and parameters,
 * lines for the data flow, parallel branches side by side. Plain SVG that scales with its
 * box, so the same picture reads on a laptop and on a projector.
 */
export function NetworkPicture({ layout, title, maxHeight }: { layout: NetworkLayout; title: string; maxHeight?: number }) {
  if (layout.nodes.length === 0) {
    return <p className="network-picture__empty">No layers yet.</p>;
  }
  const pad = 4;
  const width = layout.width + pad * 2;
  const height = layout.height + pad * 2;
  const description = layout.nodes.map((n) => `${n.label}${n.detail ? ` (${n.detail})` : ''}: ${n.shape}`).join('; ');
  return (
    <figure className="network-picture">
      <svg
        viewBox={`${-pad} ${-pad} ${width} ${height}`}
        role="img"
        aria-label={`${title}: ${description}. ${layout.totalParams} parameters.`}
        // A small network is not blown up past a little over its natural size.
        style={{ maxHeight, maxWidth: Math.round(width * 1.3), width: '100%', height: 'auto', aspectRatio: `${width} / ${height}` }}
        preserveAspectRatio="xMidYMin meet"
      >
        <g className="network-picture__edges" fill="none" stroke="#9aa3b8" strokeWidth={2}>
          {layout.edges.map((edge) => (
            <path key={`${edge.from}-${edge.to}`} d={edgePath(edge, layout.width)} markerEnd="" />
          ))}
        </g>
        {layout.nodes.map((node) => (
          <g key={node.id} transform={`translate(${node.x} ${node.y})`}>
            <rect width={NODE_WIDTH} height={NODE_HEIGHT} rx={9} fill="#fff" stroke="#cfd4e2" />
            <rect width={7} height={NODE_HEIGHT} rx={3} fill={node.colour} />
            {/* How much data comes out, on a log scale: the funnel shape of the network. */}
            <rect x={14} y={NODE_HEIGHT - 7} width={(NODE_WIDTH - 24) * node.size} height={3} rx={1.5} fill={node.colour} opacity={0.55} />
            <text x={16} y={19} fontSize={15} fontWeight={650} fill="#1c2033">
              {clip(node.label, 16)}
              {node.detail && (
                <tspan fontWeight={400} fill="#5b6275" fontSize={12.5}>
                  {'  '}
                  {clip(node.detail, 22)}
                </tspan>
              )}
            </text>
            <text x={16} y={36} fontSize={13} fill="#3b4256" fontFamily="ui-monospace, SFMono-Regular, Menlo, Consolas, monospace">
              {clip(node.shape, 18)}
            </text>
            <text x={NODE_WIDTH - 10} y={36} fontSize={12.5} fill="#5b6275" textAnchor="end">
              {node.params === '0' ? '' : `${node.params} p`}
            </text>
          </g>
        ))}
      </svg>
      <figcaption className="network-picture__caption">
        {layout.nodes.length} layers · <strong>{layout.totalParams}</strong> parameters
      </figcaption>
    </figure>
  );
}

function edgePath(edge: NetworkEdge, width: number): string {
  const { x1, y1, x2, y2 } = edge;
  if (edge.kind === 'straight') return `M${x1},${y1} L${x2},${y2}`;
  if (edge.kind === 'bend') {
    const mid = (y1 + y2) / 2;
    return `M${x1},${y1} C${x1},${mid} ${x2},${mid} ${x2},${y2}`;
  }
  // A residual connection leaves the box's right side and comes back in beside the layers it skips.
  const right = Math.min(width - 2, x1 + NODE_WIDTH / 2 + 20);
  const startY = y1 - NODE_HEIGHT / 2;
  const endY = y2 + NODE_HEIGHT / 2;
  return `M${x1 + NODE_WIDTH / 2},${startY} C${right},${startY} ${right},${startY} ${right},${startY + 16} L${right},${endY - 16} C${right},${endY} ${right},${endY} ${x2 + NODE_WIDTH / 2},${endY}`;
}

function clip(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
