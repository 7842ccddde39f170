import { gunzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';

/**
 * The ways files arrive in an upload — a zip, a form with several files, a .gz inside
 * either — read with the same distrust: every size is checked from what the container
 * declares before anything is inflated, and inflating can never produce more than that.
 */

/** A problem with the uploaded file that the student can fix; its message says how. Anything else is a bug. */
export class UploadProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UploadProblem';
  }
}

export interface NamedFile {
  /** As the student's computer named it (or its path inside a zip), for messages. */
  name: string;
  bytes: Uint8Array;
}

export const MAX_ZIP_ENTRIES = 5000;
/** All files of one upload together, unpacked. */
export const MAX_TOTAL_BYTES = 256 * 1024 * 1024;

export interface ZipFileEntry {
  /** As written in the zip, for messages and for unzipping. */
  name: string;
  /** The path's folders and file name, without empty or "." parts. */
  parts: string[];
  declaredBytes: number;
}

/**
 * Reads the zip's directory only (nothing is inflated: the filter refuses every file) and
 * checks what any zip upload must pass: the number of entries, no path leaving the zip, and
 * the declared unpacked sizes, each and in total. Files the computer adds on its own
 * (macOS resource forks, .DS_Store, Thumbs.db) are left out; folders are listed apart, so
 * an empty one can be reported. Unzipping later trusts these sizes: fflate writes into a
 * buffer of the declared size, so a zip that lies about it cannot unpack to more.
 */
export function readZipDirectory(zip: Uint8Array, limits: { maxEntryBytes: number; what: string }): { files: ZipFileEntry[]; folders: string[] } {
  const entries: { name: string; originalSize: number }[] = [];
  try {
    unzipSync(zip, {
      filter: (file) => {
        entries.push({ name: file.name, originalSize: file.originalSize });
        return false;
      },
    });
  } catch {
    throw new UploadProblem('This file is not a zip file that can be read. Put the files in a .zip file (for example with "Compress" or "Send to → Compressed folder") and upload that.');
  }
  if (entries.length > MAX_ZIP_ENTRIES) {
    throw new UploadProblem(`The zip holds ${entries.length} files; at most ${MAX_ZIP_ENTRIES} can be imported. Use fewer files.`);
  }
  let total = 0;
  const files: ZipFileEntry[] = [];
  const folders: string[] = [];
  for (const entry of entries) {
    const name = entry.name.replace(/\\/g, '/');
    if (name.startsWith('/') || /^[a-zA-Z]:/.test(name) || name.split('/').includes('..')) {
      throw new UploadProblem(`"${entry.name}" points outside the zip's folders. Zip only the files themselves and upload again.`);
    }
    const parts = name.split('/').filter((part) => part !== '' && part !== '.');
    if (parts.length === 0 || isAddedByComputer(parts)) continue;
    if (name.endsWith('/')) {
      folders.push(parts.join('/'));
      continue;
    }
    if (entry.originalSize > limits.maxEntryBytes) {
      throw new UploadProblem(`"${entry.name}" unpacks to ${formatMb(entry.originalSize)}; each ${limits.what} may be at most ${formatMb(limits.maxEntryBytes)}. Use a smaller ${limits.what}.`);
    }
    total += entry.originalSize;
    if (total > MAX_TOTAL_BYTES) throw new UploadProblem(`The files in this zip unpack to more than ${formatMb(MAX_TOTAL_BYTES)} in all. Use fewer or smaller files.`);
    files.push({ name: entry.name, parts, declaredBytes: entry.originalSize });
  }
  return { files, folders };
}

/** The named entries' bytes (after readZipDirectory has checked them). */
export function unzipEntries(zip: Uint8Array, names: readonly string[]): NamedFile[] {
  const wanted = new Set(names);
  let unpacked: Record<string, Uint8Array>;
  try {
    unpacked = unzipSync(zip, { filter: (file) => wanted.has(file.name) });
  } catch (error) {
    throw new UploadProblem(`The zip file could not be unpacked (${error instanceof Error ? error.message : String(error)}). Make the zip again and upload it.`);
  }
  return names.map((name) => {
    const bytes = unpacked[name];
    if (!bytes) throw new UploadProblem(`"${name}" is listed in the zip but could not be unpacked. Make the zip again and upload it.`);
    return { name, bytes };
  });
}

function isAddedByComputer(parts: string[]): boolean {
  return parts[0] === '__MACOSX' || parts.some((p) => p.startsWith('.')) || parts.at(-1) === 'Thumbs.db';
}

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6);
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export function isMultipartForm(contentType: string | undefined): boolean {
  return /^multipart\/form-data\s*;/i.test(contentType ?? '');
}

/**
 * Unpacks a .gz file. Its trailer states the unpacked size (modulo 4 GB); a file that
 * claims more than `maxBytes` is refused before inflating, and one that lies about it is
 * stopped by zlib once it reaches `maxBytes`.
 */
export function gunzipFile(file: NamedFile, maxBytes: number): NamedFile {
  const { bytes, name } = file;
  const tooBig = () => new UploadProblem(`"${name}" unpacks to more than ${formatMb(maxBytes)}, more than Layerbook reads from one file. Use a smaller file.`);
  if (bytes.length >= 18) {
    const declared = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(bytes.length - 4, true);
    if (declared > maxBytes) throw tooBig();
  }
  try {
    const out = gunzipSync(bytes, { maxOutputLength: maxBytes });
    return { name, bytes: new Uint8Array(out.buffer, out.byteOffset, out.byteLength) };
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooBig();
    throw new UploadProblem(`"${name}" is a damaged .gz file and could not be unpacked. Download it again.`);
  }
}

/** One entry of a multipart form: a file (with its name) or a text field. */
export type FormEntry = { field: string; file: NamedFile } | { field: string; text: string };

/**
 * The entries of a multipart/form-data body, in the order the browser sent them. The body
 * was already read within the upload limit, so its parts cannot be bigger than that.
 */
export async function readForm(body: Uint8Array, contentType: string): Promise<FormEntry[]> {
  let form: FormData;
  try {
    // Bodies here are read from a request or posted to a thread: never a view of shared memory.
    form = await new Response(body as Uint8Array<ArrayBuffer>, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new UploadProblem('The upload is not a form with files that can be read. Reload the page and choose the files again.');
  }
  const entries: FormEntry[] = [];
  let fileCount = 0;
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') {
      entries.push({ field, text: value });
      continue;
    }
    if (++fileCount > MAX_ZIP_ENTRIES) throw new UploadProblem(`The upload holds more than ${MAX_ZIP_ENTRIES} files; at most ${MAX_ZIP_ENTRIES} can be imported. Use fewer files.`);
    entries.push({ field, file: { name: value.name || `file ${fileCount}`, bytes: new Uint8Array(await value.arrayBuffer()) } });
  }
  return entries;
}

export function formatMb(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}
