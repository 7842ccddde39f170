import { describe, expect, it } from 'vitest';
import { parseSetting } from './settings';

describe('parseSetting', () => {
  it('accepts values inside the limits the server enforces', () => {
    expect(parseSetting('learningRate', '0.01')).toEqual({ ok: true, value: 0.01 });
    expect(parseSetting('batchSize', ' 128 ')).toEqual({ ok: true, value: 128 });
    expect(parseSetting('epochs', '100')).toEqual({ ok: true, value: 100 });
  });

  it('asks for a value when the box is empty', () => {
    expect(parseSetting('epochs', '')).toEqual({ ok: false, message: 'Type the number of epochs, for example 3.' });
  });

  it('says what is wrong with text that is not a number', () => {
    expect(parseSetting('learningRate', 'fast')).toEqual({
      ok: false,
      message: '“fast” is not a number. Type a learning rate, for example 0.001.',
    });
  });

  it('gives the allowed range for whole-number settings', () => {
    expect(parseSetting('epochs', '0')).toEqual({ ok: false, message: 'Epochs must be a whole number from 1 to 100.' });
    expect(parseSetting('epochs', '2.5')).toEqual({ ok: false, message: 'Epochs must be a whole number from 1 to 100.' });
    expect(parseSetting('batchSize', '5000')).toEqual({ ok: false, message: 'Batch size must be a whole number from 1 to 4096.' });
  });

  it('rejects a learning rate of zero or above the maximum', () => {
    for (const text of ['0', '-1', '11']) {
      const parsed = parseSetting('learningRate', text);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.message).toBe('Learning rate must be more than 0 and at most 10. Small values such as 0.001 work best.');
    }
  });
});
