/**
 * Talking to the upload endpoints (server/uploads.ts). Kept apart from the components so the
 * request and error handling read in one place.
 */
import type { ImageImportOptions as PictureSettings } from '../../server/data/image-zip';

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
export type { ImageImportOptions as PictureSettings, ImagePreview as PicturePreview } from '../../server/data/image-zip';

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

export async function importPictureZip(file: Blob, settings: PictureSettings): Promise<UploadedDataset> {
  return (await post<{ dataset: UploadedDataset }>(`/api/datasets/images?options=${encodeURIComponent(JSON.stringify(settings))}`, file, 'application/zip')).dataset;
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
