import { describe, expect, it } from 'vitest';
import { parsePlaygroundSetting } from './options';

describe('parsePlaygroundSetting', () => {
  it('accepts values inside the limits', () => {
    expect(parsePlaygroundSetting('size', ' 300 ')).toEqual({ ok: true, value: 300 });
    expect(parsePlaygroundSetting('noise', '0.25')).toEqual({ ok: true, value: 0.25 });
  });

  it('says what to type instead, with the limits', () => {
    expect(parsePlaygroundSetting('size', '')).toEqual({ ok: false, message: 'Type a whole number from 50 to 5000 for points.' });
    expect(parsePlaygroundSetting('size', '12.5')).toEqual({ ok: false, message: 'Points must be a whole number from 50 to 5000.' });
    expect(parsePlaygroundSetting('noise', 'lots')).toEqual({ ok: false, message: '“lots” is not a number. Noise must be a number from 0 to 1.' });
    expect(parsePlaygroundSetting('noise', '2')).toEqual({ ok: false, message: 'Noise must be a number from 0 to 1.' });
  });
});
