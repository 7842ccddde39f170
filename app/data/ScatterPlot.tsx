'use client';

import * as Plot from '@observablehq/plot';
import { useEffect, useRef } from 'react';
import { CLASS_COLORS } from '../lib/class-colors';

/** The 2-D points coloured by class; loaded lazily with Plot so the first page stays light. */
export default function ScatterPlot({ points, classes, label }: { points: { x: number; y: number; label: string }[]; classes: string[]; label: string }) {
  const hostRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const chart = Plot.plot({
      width: 320,
      height: 320,
      aspectRatio: 1,
      style: { fontSize: '12px', background: 'transparent' },
      ariaLabel: label,
      x: { label: 'x', domain: [-1.5, 1.5] },
      y: { label: 'y', domain: [-1.5, 1.5] },
      color: { domain: classes, range: [...CLASS_COLORS], legend: true },
      marks: [Plot.dot(points, { x: 'x', y: 'y', fill: 'label', r: 2.5, fillOpacity: 0.8 })],
    });
    host.replaceChildren(chart);
  }, [points, classes, label]);
  return <div ref={hostRef} className="data-preview__scatter" />;
}
