'use client';

import * as Plot from '@observablehq/plot';
import { useEffect } from 'react';
import { useElementWidth } from '../lib/use-element-width';
import { SERIES_COLORS, type ChartPoint } from './progress';

const PANELS = [
  { metric: 'Loss', label: 'Loss (lower is better)', percent: false },
  { metric: 'Accuracy', label: 'Accuracy (higher is better)', percent: true },
] as const;

/** Two small line charts side by side (stacked on a phone), redrawn as points arrive. */
export default function MetricsChart({ points, epochs }: { points: ChartPoint[]; epochs: number }) {
  const [hostRef, width] = useElementWidth<HTMLDivElement>();

  useEffect(() => {
    const host = hostRef.current;
    if (!host || width === 0) return;
    const sideBySide = width >= 560;
    const panelWidth = sideBySide ? Math.floor((width - 16) / 2) : width;
    const charts = PANELS.map(({ metric, label, percent }) => {
      const data = points.filter((p) => p.metric === metric);
      const batches = data.filter((p) => p.series === 'training (batches)');
      const perEpoch = data.filter((p) => p.series !== 'training (batches)');
      return Plot.plot({
        width: panelWidth,
        height: 210,
        marginLeft: 48,
        marginBottom: 36,
        style: { fontSize: '12px', background: 'transparent', overflow: 'visible' },
        ariaLabel: `${metric} by epoch`,
        x: { label: 'Epoch', domain: [0, Math.max(1, epochs)], grid: true, ticks: Math.min(epochs, 10) },
        y: {
          label: label,
          grid: true,
          ...(percent ? { domain: [0, 1], tickFormat: (v: number) => `${Math.round(v * 100)}%` } : { zero: true }),
        },
        color: { domain: Object.keys(SERIES_COLORS), range: Object.values(SERIES_COLORS) },
        marks: [
          Plot.line(batches, { x: 'x', y: 'value', stroke: 'series', strokeWidth: 1.25, strokeOpacity: 0.55 }),
          Plot.line(perEpoch, { x: 'x', y: 'value', stroke: 'series', z: 'series', strokeWidth: 2.5, marker: 'circle' }),
        ],
      });
    });
    host.replaceChildren(...charts);
  }, [points, epochs, width]);

  return <div ref={hostRef} className="metrics__plots" />;
}
