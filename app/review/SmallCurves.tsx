'use client';

import * as Plot from '@observablehq/plot';
import { useEffect } from 'react';
import { useElementWidth } from '../lib/use-element-width';
import { curveRows, type SharedScales } from './curves';
import type { CurvePoint } from './diagnosis';

/** Training solid indigo, validation dashed teal: told apart by the dash too, not only colour. */
export const CURVE_STYLE = {
  training: { colour: '#4f46e5', dash: null },
  validation: { colour: '#0d9488', dash: '6 4' },
} as const;

/**
 * One student's loss and accuracy, small, on the scales the whole class shares, so the
 * teacher compares shapes by eye across the page (small multiples).
 */
export default function SmallCurves({ points, scales, label, height = 130 }: { points: readonly CurvePoint[]; scales: SharedScales; label: string; height?: number }) {
  const [hostRef, width] = useElementWidth<HTMLDivElement>();

  useEffect(() => {
    const host = hostRef.current;
    if (!host || width === 0) return;
    const rows = curveRows(points, scales);
    const panelWidth = Math.max(120, Math.floor((width - 12) / 2));
    const charts = (['Loss', 'Accuracy'] as const).map((metric) => {
      const data = rows.filter((r) => r.metric === metric);
      const percent = metric === 'Accuracy';
      return Plot.plot({
        width: panelWidth,
        height,
        marginLeft: 40,
        marginRight: 8,
        marginTop: 22,
        marginBottom: 26,
        style: { fontSize: '13px', background: 'transparent', overflow: 'visible' },
        ariaLabel: `${label}: ${metric.toLowerCase()} by epoch`,
        x: { label: null, domain: [1, Math.max(2, scales.epochs)], ticks: Math.min(4, scales.epochs), tickFormat: 'd' },
        y: {
          label: metric,
          labelAnchor: 'top',
          grid: true,
          ticks: 3,
          domain: percent ? [0, 1] : [0, scales.maxLoss],
          ...(percent ? { tickFormat: (v: number) => `${Math.round(v * 100)}%` } : {}),
        },
        marks: (['training', 'validation'] as const).flatMap((series) => {
          const line = data.filter((r) => r.series === series);
          const style = CURVE_STYLE[series];
          return [
            Plot.line(line, { x: 'epoch', y: 'value', stroke: style.colour, strokeWidth: 2.5, ...(style.dash ? { strokeDasharray: style.dash } : {}) }),
            Plot.dot(line.slice(-1), { x: 'epoch', y: 'value', fill: style.colour, r: 3.5 }),
          ];
        }),
      });
    });
    host.replaceChildren(...charts);
  }, [points, scales, width, height, label]);

  return <div ref={hostRef} className="small-curves" />;
}

/** The key shared by all the small charts on a page. */
export function CurvesKey() {
  return (
    <p className="curves-key" aria-label="Chart key">
      <span className="curves-key__item">
        <svg width="28" height="10" aria-hidden="true"><line x1="0" y1="5" x2="28" y2="5" stroke={CURVE_STYLE.training.colour} strokeWidth="3" /></svg>
        training
      </span>
      <span className="curves-key__item">
        <svg width="28" height="10" aria-hidden="true"><line x1="0" y1="5" x2="28" y2="5" stroke={CURVE_STYLE.validation.colour} strokeWidth="3" strokeDasharray="6 4" /></svg>
        validation
      </span>
    </p>
  );
}
