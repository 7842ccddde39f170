import { describe, expect, it } from 'vitest';
import { checkPictureFile, MAX_TRY_PICTURE_BYTES } from './picture-file';

describe('a picture file chosen to try a model, before it is read', () => {
  it('takes PNG and JPEG pictures by their name or their type', () => {
    expect(checkPictureFile({ name: 'cat.png', type: 'image/png', size: 1000 })).toEqual({ ok: true });
    expect(checkPictureFile({ name: 'CAT.JPEG', type: '', size: 1000 })).toEqual({ ok: true });
    expect(checkPictureFile({ name: 'photo', type: 'image/jpeg', size: 1000 })).toEqual({ ok: true });
  });

  it('says in words that other files are not pictures it can read', () => {
    expect(checkPictureFile({ name: 'notes.txt', type: 'text/plain', size: 10 })).toEqual({
      ok: false,
      message: '"notes.txt" is not a PNG or JPEG picture. Choose a .png or .jpg picture, like the ones your data was made of.',
    });
    expect(checkPictureFile({ name: 'cat.webp', type: 'image/webp', size: 10 }).ok).toBe(false);
  });

  it('refuses a huge file by its size, before anything is decoded', () => {
    expect(checkPictureFile({ name: 'big.jpg', type: 'image/jpeg', size: MAX_TRY_PICTURE_BYTES })).toEqual({ ok: true });
    expect(checkPictureFile({ name: 'photo.jpg', type: 'image/jpeg', size: 50 * 1024 * 1024 })).toEqual({
      ok: false,
      message: '"photo.jpg" is 50 MB; a picture to try may be at most 20 MB. Use a smaller picture.',
    });
  });
});
