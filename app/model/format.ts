import type { Dim } from '../../blocks/catalog/define';
import { formatCount } from '../lib/count';

/**
 * A sample's shape as students see it in the layer table: "28 × 28 × 1". The batch
 * dimension is not part of it; unknown sizes show as "?".
 */
export function formatShape(shape: readonly Dim[] | null | undefined): string {
  if (!shape) return '—';
  if (shape.length === 0) return 'one number';
  return shape.map((dim) => (dim === null ? '?' : String(dim))).join(' × ');
}

export function formatParams(count: number | null | undefined): string {
  if (count === null || count === undefined || !Number.isFinite(count)) return '—';
  return formatCount(count);
}
