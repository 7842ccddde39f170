/**
 * Talking to the upload endpoints (server/uploads.ts). Kept apart from the components so the
 * request and error handling read in one place.
 */
import type { IdxImportOptions as IdxSettings } from '../../server/data/idx-import';
import type { ImageImportOptions as PictureSettings } from '../../server/data/pictures';

export interface ColumnSummary {
  name: string;
  type: 'number' | 'category';
  distinct: number;
  missing: number;
  examples: string[];
}
export interface CsvPreview {
  columns: ColumnSummary[];
  rows: string[][];
  rowCount: number;
}
export interface ImportSettings {
  name: string;
  label: string;
  features: { column: string; as: 'number' | 'category' }[];
  normalization: 'standardize' | 'none';
  split: { train: number; validation: number; test: number };
  seed: number;
}
export interface UploadedDataset {
  id: string;
  name: string;
  inputShape: number[];
  classes: string[];
  trainSize: number;
  validationSize: number;
  testSize: number;
}

// Types only (erased at build), so the zip reader's packages stay out of the page bundle.
export type { ImageImportOptions as PictureSettings, ImagePreview as PicturePreview } from '../../server/data/pictures';
export type { ClassBalance } from '../../server/data/balance';

/** Bytes of the request sent so far, of `total`. */
export interface UploadProgress {
  sent: number;
  total: number;
}

async function post<T>(url: string, file: Blob, contentType = 'text/csv'): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', body: file, headers: { 'content-type': contentType } });
  } catch {
    throw new Error('The upload did not reach the server. Check your connection and try again.');
  }
  const body = (await response.json().catch(() => null)) as ({ error?: string } & T) | null;
  if (!response.ok) throw new Error(body?.error ?? `The server answered ${response.status}. Try again in a moment.`);
  return body as T;
}

export async function previewCsvFile(file: Blob): Promise<CsvPreview> {
  return (await post<{ preview: CsvPreview }>('/api/datasets/csv/preview', file)).preview;
}

export async function importCsvFile(file: Blob, settings: ImportSettings): Promise<UploadedDataset> {
  return (await post<{ dataset: UploadedDataset }>(`/api/datasets/csv?options=${encodeURIComponent(JSON.stringify(settings))}`, file)).dataset;
}

/**
 * XMLHttpRequest rather than fetch, because only it reports how much of the body has been
 * sent: a 30 MB dataset takes a while on a school network, and a bar that moves says it works.
 */
function postWithProgress<T>(url: string, body: Blob | FormData, onProgress: (progress: UploadProgress) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', url);
    // A FormData body gets its multipart content type (with the boundary) from the browser.
    if (body instanceof Blob) request.setRequestHeader('content-type', body.type || 'application/octet-stream');
    request.responseType = 'json';
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress({ sent: event.loaded, total: event.total });
    };
    request.onload = () => {
      const answer = request.response as ({ error?: string } & T) | null;
      if (request.status >= 200 && request.status < 300 && answer) resolve(answer);
      else reject(new Error(answer?.error ?? `The server answered ${request.status}. Try again in a moment.`));
    };
    request.onerror = () => reject(new Error('The upload did not reach the server. Check your connection and try again.'));
    request.send(body);
  });
}

const optionsQuery = (settings: object) => `?options=${encodeURIComponent(JSON.stringify(settings))}`;

export async function importPictureZip(file: Blob, settings: PictureSettings, onProgress: (progress: UploadProgress) => void = () => {}): Promise<UploadedDataset> {
  const zip = file.type ? file : new Blob([file], { type: 'application/zip' });
  return (await postWithProgress<{ dataset: UploadedDataset }>(`/api/datasets/images${optionsQuery(settings)}`, zip, onProgress)).dataset;
}

/** The form field names the server reads (server/data/pictures.ts): each class's name, then its pictures. */
export async function importPicturesByClass(
  classes: readonly { name: string; files: readonly File[] }[],
  settings: PictureSettings,
  onProgress: (progress: UploadProgress) => void = () => {},
): Promise<UploadedDataset> {
  const form = new FormData();
  for (const picked of classes) {
    if (picked.name.trim() === '' && picked.files.length === 0) continue;
    form.append('class', picked.name.trim());
    for (const file of picked.files) form.append('picture', file, file.name);
  }
  return (await postWithProgress<{ dataset: UploadedDataset }>(`/api/datasets/images${optionsQuery(settings)}`, form, onProgress)).dataset;
}

export async function importIdxFiles(files: readonly File[], settings: IdxSettings, onProgress: (progress: UploadProgress) => void = () => {}): Promise<UploadedDataset> {
  const form = new FormData();
  for (const file of files) form.append('file', file, file.name);
  return (await postWithProgress<{ dataset: UploadedDataset }>(`/api/datasets/idx${optionsQuery(settings)}`, form, onProgress)).dataset;
}

/** "T-shirt/top, Trouser, …" as names for labels 0, 1, …; empty means "call them 0, 1, …". */
export function parseClassNames(text: string): { ok: true; names: string[] | undefined } | { ok: false; message: string } {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) return { ok: true, names: undefined };
  if (names.length === 1) return { ok: false, message: 'Give at least 2 class names, separated by commas, or leave this empty.' };
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated) return { ok: false, message: `"${repeated}" is there twice. Every class needs its own name.` };
  return { ok: true, names };
}

/** "12.5 of 30.9 MB sent" */
export function describeProgress({ sent, total }: UploadProgress): string {
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  return sent >= total ? 'All sent. The server is reading the files…' : `${mb(sent)} of ${mb(total)} MB sent`;
}

/** The zip's name without ".zip" as the dataset name; grey 28×28 like MNIST, which small networks learn fastest. */
export function suggestPictureSettings(fileName: string): PictureSettings {
  return { name: fileName.replace(/\.[^.]*$/, '').slice(0, 100) || 'My pictures', size: 28, color: 'grayscale', split: { train: 70, validation: 15, test: 15 }, seed: 1 };
}

/** A first guess the student can change: the last category column is the label, every other column a feature. */
export function suggestSettings(preview: CsvPreview, fileName: string): ImportSettings {
  const label = [...preview.columns].reverse().find((c) => c.type === 'category') ?? preview.columns.at(-1)!;
  return {
    name: fileName.replace(/\.[^.]*$/, '').slice(0, 100) || 'My data',
    label: label.name,
    features: preview.columns.filter((c) => c !== label).map((c) => ({ column: c.name, as: c.type })),
    normalization: 'standardize',
    split: { train: 70, validation: 15, test: 15 },
    seed: 1,
  };
}

/** Why the classes picked so far cannot be imported yet, or null when they can. Rows left blank do not count. */
export function problemWithPickedClasses(classes: readonly { name: string; files: readonly unknown[] }[]): string | null {
  const used = classes.map((c, i) => ({ name: c.name.trim(), count: c.files.length, number: i + 1 })).filter((c) => c.name !== '' || c.count > 0);
  for (const c of used) {
    if (c.name === '') return `Give class ${c.number} a name.`;
    if (c.count === 0) return `Choose pictures for "${c.name}".`;
  }
  const repeated = used.find((c, i) => used.findIndex((other) => other.name === c.name) !== i);
  if (repeated) return `Two classes are called "${repeated.name}". Give each class its own name.`;
  if (used.length < 2) return 'Name at least 2 classes and choose pictures for each: a network learns to tell classes apart.';
  return null;
}
