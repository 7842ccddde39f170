import { importIdxFiles, type IdxImportOptions } from './idx-import';
import { importImageZip } from './image-zip';
import { importLabelledPictures, type ImageImportOptions, type ImportedImages } from './pictures';
import { isMultipartForm, readForm } from './upload-files';

/**
 * An upload of pictures as it arrived: the body and its content type, which says whether
 * it is one zip or a form of several files. Plain data, so it can be posted to a thread.
 */
export type ImportJob =
  | { kind: 'pictures'; body: Uint8Array; contentType: string; options: ImageImportOptions; maxPixels?: number }
  | { kind: 'idx'; body: Uint8Array; contentType: string; options: IdxImportOptions };

/** Pictures: a zip with one folder per class, or a form of pictures labelled class by class. IDX: the files in a form, or one zip. */
export async function runImportJob(job: ImportJob): Promise<ImportedImages> {
  const form = isMultipartForm(job.contentType) ? await readForm(job.body, job.contentType) : null;
  if (job.kind === 'pictures') return form ? importLabelledPictures(form, job.options, job.maxPixels) : importImageZip(job.body, job.options, job.maxPixels);
  const files = form ? form.flatMap((entry) => ('file' in entry ? [entry.file] : [])) : [{ name: 'The upload', bytes: job.body }];
  return importIdxFiles(files, job.options);
}
