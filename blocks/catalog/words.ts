/** Wording shared by every message a student reads, so shapes and numbers look the same everywhere. */
import type { Shape } from './define';

const countFormat = new Intl.NumberFormat('en-US');

/** 1000000 → "1,000,000". */
export function formatCount(n: number): string {
  return countFormat.format(n);
}

/** [26, 26, 8] → "26×26×8"; unknown sizes print as "?". */
export function formatShape(shape: Shape): string {
  return shape.map((d) => (d === null ? '?' : String(d))).join('×');
}

/** What a sample of this shape looks like to a student: "a flat list of 784 numbers", "a 26×26×8 image". */
export function describeData(shape: Shape): string {
  if (shape.length === 1) return `a flat list of ${shape[0] === null ? 'some' : formatCount(shape[0])} numbers`;
  if (shape.length === 2) return `a ${formatShape(shape)} grid of numbers`;
  if (shape.length === 3) return `a ${formatShape(shape)} image`;
  return `a ${formatShape(shape)} block of numbers`;
}

/** "1 number", "3 numbers", "2×2" for pairs: how an argument value reads in a message. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  if (Array.isArray(value)) return value.map((v) => formatValue(v)).join(',');
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'not a number';
  if (value === null || value === undefined) return 'empty';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return 'something unreadable';
}
