import { describe, expect, it } from 'vitest';
import { listInWords } from './words';

describe('lists in words', () => {
  it('names things the way a sentence does', () => {
    expect(listInWords(['7B'])).toBe('7B');
    expect(listInWords(['7A', '7B'])).toBe('7A and 7B');
    expect(listInWords(['7A', '7B', '7C'])).toBe('7A, 7B and 7C');
  });
});
