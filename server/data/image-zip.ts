import { checkClassCount, checkPictureFile, DEFAULT_MAX_UPLOAD_PIXELS, importPictures, MAX_ENTRY_BYTES, type ImageImportOptions, type ImportedImages } from './pictures';
import { readZipDirectory, unzipEntries, UploadProblem } from './upload-files';

/**
 * A zip of pictures, one folder per class (`cats/1.png`, `dogs/2.jpg`). A zip is untrusted
 * input that can claim to unpack to gigabytes, so its directory is checked (see
 * readZipDirectory) before anything is inflated, and each picture's header before decoding.
 */
export function importImageZip(zip: Uint8Array, options: ImageImportOptions, maxPixels = DEFAULT_MAX_UPLOAD_PIXELS): ImportedImages {
  const pictures = listPictures(zip);
  const files = unzipEntries(
    zip,
    pictures.map((p) => p.path),
  );
  return importPictures(
    files.map((file, i) => ({ ...file, className: pictures[i]!.className })),
    options,
    maxPixels,
  );
}

interface PictureEntry {
  path: string;
  className: string;
}

/** The zip's pictures with their class (folder) names, sorted by path so the same zip always gives the same dataset. */
export function listPictures(zip: Uint8Array): PictureEntry[] {
  const { files, folders } = readZipDirectory(zip, { maxEntryBytes: MAX_ENTRY_BYTES, what: 'picture' });
  for (const file of files) checkPictureFile(file.name, file.declaredBytes);
  if (files.length === 0) throw new UploadProblem('The zip has no .png or .jpg pictures. Put the pictures in one folder per class, like cats/1.png and dogs/2.jpg.');

  // Zipping the folder that holds the class folders adds one more level (animals/cats/1.png): look inside it.
  const first = files[0]!.parts[0]!;
  const wrapped = files.every((f) => f.parts.length === 3 && f.parts[0] === first);
  const depth = wrapped ? 1 : 0;
  const pictures: PictureEntry[] = [];
  for (const file of files) {
    if (file.parts.length !== depth + 2) {
      throw new UploadProblem(
        file.parts.length < depth + 2
          ? `"${file.name}" is not inside a class folder. Put every picture in a folder named after its class, like cats/1.png.`
          : `"${file.name}" is in a folder inside a class folder. Put every picture directly in its class folder, like cats/1.png.`,
      );
    }
    pictures.push({ path: file.name, className: file.parts[depth]! });
  }
  const classes = new Set(pictures.map((p) => p.className));
  for (const folder of folders) {
    const parts = folder.split('/');
    if (parts.length === depth + 1 && (!wrapped || parts[0] === first) && !classes.has(parts[depth]!)) {
      throw new UploadProblem(`The folder "${parts[depth]}" has no pictures. Put some pictures in it, or delete the folder.`);
    }
  }
  checkClassCount(classes.size, [...classes][0], 'class folder');
  return pictures.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
