import { describe, expect, it } from 'vitest';
import { formatRelativeTime, plural } from './time';

const now = new Date('2025-03-10T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

describe('formatRelativeTime', () => {
  it.each([
    [ago(10_000), 'just now'],
    [ago(60_000), '1 minute ago'],
    [ago(5 * 60_000), '5 minutes ago'],
    [ago(3 * 3600_000), '3 hours ago'],
    [ago(26 * 3600_000), 'yesterday'],
    [ago(4 * 86400_000), '4 days ago'],
    ['2025-01-02T12:00:00Z', 'Jan 2'],
    ['2023-01-02T12:00:00Z', 'Jan 2, 2023'],
  ])('%s → %s', (when, text) => {
    expect(formatRelativeTime(when, now)).toBe(text);
  });

  it('does not crash on a date it cannot read', () => {
    expect(formatRelativeTime('not a date', now)).toBe('unknown time');
  });
});

describe('plural', () => {
  it('says "1 cell" and "3 cells"', () => {
    expect(plural(1, 'cell')).toBe('1 cell');
    expect(plural(3, 'cell')).toBe('3 cells');
    expect(plural(0, 'cell')).toBe('0 cells');
  });
});
