import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { formBody } from '../../testing/pictures';
import { gunzipFile, isMultipartForm, readForm, UploadProblem } from './upload-files';

describe('reading uploaded files', () => {
  it('unpacks a .gz file, and stops one that inflates past the limit even when its trailer lies', () => {
    const text = new TextEncoder().encode('hello '.repeat(1000));
    expect(gunzipFile({ name: 'a.gz', bytes: gzipSync(text) }, 10_000).bytes).toEqual(text);
    // 64 MB of zeros gzip to about 64 KB: a small file that would unpack to far more than allowed.
    const bomb = new Uint8Array(gzipSync(new Uint8Array(64 * 1024 * 1024)));
    new DataView(bomb.buffer).setUint32(bomb.length - 4, 100, true);
    expect(bomb.length).toBeLessThan(100_000);
    expect(() => gunzipFile({ name: 'bomb.gz', bytes: bomb }, 1024 * 1024)).toThrow(
      new UploadProblem('"bomb.gz" unpacks to more than 1 MB, more than Layerbook reads from one file. Use a smaller file.'),
    );
  });

  it('reads a form of text fields and files in the order they were sent', async () => {
    const { bytes, contentType } = await formBody([
      ['class', 'cats'],
      ['picture', { name: 'tom.png', bytes: new Uint8Array([1, 2, 3]) }],
      ['class', 'dogs'],
      ['picture', { name: 'rex.png', bytes: new Uint8Array([4]) }],
    ]);
    expect(isMultipartForm(contentType)).toBe(true);
    expect(await readForm(bytes, contentType)).toEqual([
      { field: 'class', text: 'cats' },
      { field: 'picture', file: { name: 'tom.png', bytes: new Uint8Array([1, 2, 3]) } },
      { field: 'class', text: 'dogs' },
      { field: 'picture', file: { name: 'rex.png', bytes: new Uint8Array([4]) } },
    ]);
    await expect(readForm(new TextEncoder().encode('not a form'), 'multipart/form-data; boundary=xyz')).rejects.toThrow(
      'The upload is not a form with files that can be read. Reload the page and choose the files again.',
    );
  });
});
