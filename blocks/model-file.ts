/**
 * Reads a model from a file a person hands us: a Layerbook notebook export, one model cell,
 * a Blockly workspace, a bare ModelSpec or a Keras model.to_json(). Used by the command line
 * and the notebook's import button. Never throws: anything unreadable becomes a diagnostic
 * that says where the problem is.
 */
import type { Diagnostic } from './format/diagnostic';
import { specFromWorkspace } from './workspace/from-workspace';
import { importKerasJson, isKerasJson, type KerasImportOptions } from './keras';
import { SpecMigrationError, migrateSpec } from './format/migrations';
import type { ModelSpec } from './format/model-spec';

/** Bigger than any real model description; keeps a stray dataset file from eating memory. */
export const MAX_MODEL_FILE_BYTES = 5_000_000;

export type ModelFileKind = 'keras' | 'notebook' | 'cell' | 'workspace' | 'spec';

export interface LoadedModel {
  kind: ModelFileKind | null;
  /** The model as found, not yet shape-checked (compileSpec does that); null when none could be read. */
  spec: ModelSpec | null;
  diagnostics: Diagnostic[];
}

/** `maxParams` lets a Keras file as big as the caller's limit through (the importer's own limit otherwise). */
export function readModelText(text: string, options: KerasImportOptions = {}): LoadedModel {
  if (text.length > MAX_MODEL_FILE_BYTES) {
    return failed('file-too-big', `This file is ${formatMb(text.length)} MB; a model description is at most ${formatMb(MAX_MODEL_FILE_BYTES)} MB.`, 'Check that you picked the model file (JSON), not a data or weights file.');
  }
  const parsed = parseJson(text);
  if ('problem' in parsed) return failed('bad-json', `This file is not valid JSON: ${parsed.problem}.`, 'Open it in a text editor and fix that spot, or export the model again.');
  return readModelJson(parsed.value, options);
}

export function readModelJson(value: unknown, options: KerasImportOptions = {}): LoadedModel {
  if (!isRecord(value)) {
    return failed('not-a-model', `This file holds ${describeJson(value)}, not a model.`, 'Pick a Keras model JSON (model.to_json()) or a Layerbook notebook, cell or model file.');
  }
  if (isKerasJson(value)) {
    const imported = importKerasJson(value, options);
    return { kind: 'keras', spec: imported.spec, diagnostics: imported.diagnostics };
  }
  if (Array.isArray(value.cells)) {
    const cell = value.cells.find((c) => isRecord(c) && c.type === 'model');
    if (!isRecord(cell)) return failed('no-model-cell', 'This notebook has no model cell.', 'Add a model cell to the notebook and export it again.');
    return fromWorkspace('notebook', cell.workspace);
  }
  if (value.type === 'model' && 'workspace' in value) return fromWorkspace('cell', value.workspace);
  if (isRecord(value.blocks)) return fromWorkspace('workspace', value);
  if ('specVersion' in value) {
    try {
      return { kind: 'spec', spec: migrateSpec(value), diagnostics: [] };
    } catch (error) {
      if (!(error instanceof SpecMigrationError)) throw error;
      return failed('bad-spec', error.message, 'Export the model from Layerbook again.');
    }
  }
  return failed(
    'not-a-model',
    "This JSON doesn't look like a model: it has no Keras \"class_name\"/\"config\", no notebook \"cells\", no \"workspace\" and no \"specVersion\".",
    'Pick a Keras model JSON (model.to_json()) or a Layerbook notebook, cell or model file.',
  );
}

function fromWorkspace(kind: ModelFileKind, workspace: unknown): LoadedModel {
  const converted = specFromWorkspace(workspace);
  return { kind, spec: converted.spec, diagnostics: converted.diagnostics };
}

/** JSON.parse, with "line 3, column 7" instead of a character offset. */
export function parseJson(text: string): { value: unknown } | { problem: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const reason = message.replace(/ in JSON at position \d+.*$/s, '').replace(/, \S*".*" is not valid JSON$/s, '');
    const position = /position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : firstBadOffset(text);
    const before = text.slice(0, offset).split('\n');
    return { problem: `${reason} at line ${before.length}, column ${before[before.length - 1]!.length + 1}` };
  }
}

/**
 * Where parsing first goes wrong, for the messages that don't say (V8's "Unexpected token"):
 * the shortest broken prefix, by binary search, since every longer prefix is broken too.
 */
function firstBadOffset(text: string): number {
  const broken = (length: number) => {
    try {
      JSON.parse(text.slice(0, length));
      return false;
    } catch (error) {
      const message = error instanceof Error ? error.message : '';
      const at = /position (\d+)/.exec(message);
      return !message.includes('end of JSON input') && !(at && Number(at[1]) >= length);
    }
  };
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (broken(mid)) high = mid;
    else low = mid + 1;
  }
  return Math.max(0, low - 1);
}

function failed(code: string, message: string, fix: string): LoadedModel {
  return { kind: null, spec: null, diagnostics: [{ blockId: null, severity: 'error', code, message, fix }] };
}

function describeJson(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return `a ${typeof value}`;
}

function formatMb(bytes: number): string {
  return (bytes / 1_000_000).toFixed(1);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
