import { describe, expect, it } from 'vitest';
import { formatParams, formatShape } from './format';

describe('formatShape', () => {
  it('shows one sample’s dimensions joined with ×', () => {
    expect(formatShape([28, 28, 1])).toBe('28 × 28 × 1');
    expect(formatShape([10])).toBe('10');
  });
  it('marks sizes known only at run time and missing shapes', () => {
    expect(formatShape([null, 16])).toBe('? × 16');
    expect(formatShape(null)).toBe('—');
    expect(formatShape([])).toBe('one number');
  });
});

describe('formatParams', () => {
  it('groups thousands so big models are readable', () => {
    expect(formatParams(101_770)).toBe('101,770');
    expect(formatParams(0)).toBe('0');
    expect(formatParams(null)).toBe('—');
  });
});
