import { isMainThread } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { importOffThread, importsInFlight } from './import-pool';
import { darkAndLightZip, solidPng, zip } from '../../testing/pictures';
import { UploadProblem } from './upload-files';

const options = { name: 'Shades', size: 28 as const, color: 'grayscale' as const, split: { train: 60, validation: 20, test: 20 }, seed: 1 };

describe('the import threads', () => {
  it('import pictures on another thread and hand back the typed arrays', async () => {
    expect(isMainThread).toBe(true);
    const pending = importOffThread({ kind: 'pictures', body: darkAndLightZip(), contentType: 'application/zip', options });
    expect(importsInFlight()).toBe(1);
    const imported = await pending;
    expect(importsInFlight()).toBe(0);
    expect(imported.classes).toEqual(['dark', 'light']);
    expect(imported.splits.train.pixels).toBeInstanceOf(Uint8Array);
    expect(imported.splits.train.pixels.length).toBe(6 * 784);
  });

  it('hand back a problem with the files as an UploadProblem with its message, and keep working after it', async () => {
    const bad = zip({ 'cats/1.png': solidPng(2, 2, [0, 0, 0, 255]), '../evil.png': solidPng(2, 2, [0, 0, 0, 255]) });
    const refused = importOffThread({ kind: 'pictures', body: bad, contentType: 'application/zip', options });
    await expect(refused).rejects.toBeInstanceOf(UploadProblem);
    await expect(refused).rejects.toThrow('"../evil.png" points outside the zip\'s folders.');
    // Several at once: more than the threads wait their turn, and all finish.
    const all = await Promise.all(Array.from({ length: 4 }, () => importOffThread({ kind: 'pictures', body: darkAndLightZip(), contentType: 'application/zip', options })));
    expect(all.map((i) => i.splits.test.count)).toEqual([2, 2, 2, 2]);
  });
});
