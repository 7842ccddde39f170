/**
 * How an argument value is written into a Blockly field and read back. Number-like
 * arguments that need a list ("28,28,1", "3,5") live in text fields, so reading them
 * parses text; anything that doesn't parse is passed on unchanged for the validator to
 * explain, which keeps every "this value is wrong" message in one place (shapes/validate-args).
 */
import type { ArgDefinition, IntOrPair, LayerDefinition } from './define';
import { CUSTOM_INITIALIZER } from './initializers';

/** Text a student types in a nullable field to get its default ("same as the pool size"). */
export const AUTO_TEXT = 'auto';
/** Text for a size left open in a shape ("any length"); Keras's None and "?" read the same. */
export const ANY_SIZE_TEXT = 'any';

export type FieldValue = string | number | boolean;

export function argToField(arg: ArgDefinition, value: unknown): FieldValue {
  switch (arg.type) {
    case 'int':
    case 'float':
      // A number that may be "auto" lives in a text field, as Blockly number fields can't be empty.
      if (arg.nullMeans !== undefined) return value === null || value === undefined ? AUTO_TEXT : String(value);
      return typeof value === 'number' ? value : Number(value);
    case 'bool':
      return Boolean(value);
    case 'enum':
      // A starting-weights recipe with settings is a block beside the dropdown, which reads "custom".
      return typeof value === 'object' && value !== null ? CUSTOM_INITIALIZER : String(value);
    case 'shape':
      return Array.isArray(value) ? value.map((d) => (d === null ? ANY_SIZE_TEXT : String(d))).join(',') : String(value);
    case 'intOrPair':
    case 'intTuple':
    case 'intList':
      if (value === null || value === undefined) return AUTO_TEXT;
      return Array.isArray(value) ? value.join(',') : String(value);
  }
}

/** Whether a field reads as "use the automatic value" for an argument that allows null. */
function meansAuto(arg: ArgDefinition, raw: string): boolean {
  const text = raw.trim().toLowerCase();
  return 'nullMeans' in arg && arg.nullMeans !== undefined && (text === '' || text === AUTO_TEXT);
}

export function fieldToArg(arg: ArgDefinition, raw: unknown): unknown {
  switch (arg.type) {
    case 'int':
    case 'float':
      if (typeof raw === 'string' && meansAuto(arg, raw)) return null;
      if (typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
      return raw;
    case 'bool':
      if (raw === 'TRUE') return true;
      if (raw === 'FALSE') return false;
      return raw;
    case 'enum':
      return raw;
    case 'shape': {
      if (typeof raw !== 'string') return raw;
      const numbers = arg.anySize ? parseShapeText(raw) : parseIntList(raw);
      return numbers ?? raw;
    }
    case 'intOrPair': {
      if (typeof raw === 'number') return raw;
      if (typeof raw !== 'string') return raw;
      if (meansAuto(arg, raw)) return null;
      const numbers = parseIntList(raw);
      if (numbers?.length === 1) return numbers[0];
      if (numbers?.length === 2) return numbers as unknown as IntOrPair;
      return raw;
    }
    case 'intTuple': {
      if (typeof raw === 'number') return raw;
      if (typeof raw !== 'string') return raw;
      if (meansAuto(arg, raw)) return null;
      const numbers = parseIntList(raw);
      if (numbers?.length === 1) return numbers[0];
      return numbers ?? raw;
    }
    case 'intList': {
      if (typeof raw !== 'string') return raw;
      if (meansAuto(arg, raw)) return null;
      return parseIntList(raw) ?? raw;
    }
  }
}

/** Like parseIntList, but "any", "none", "?" or "null" leave that size open (null). */
function parseShapeText(text: string): (number | null)[] | null {
  const parts = text.split(/\s*,\s*|\s+/).filter((p) => p !== '');
  if (parts.length === 0) return null;
  const dims: (number | null)[] = [];
  for (const part of parts) {
    if (/^(any|none|null|\?)$/i.test(part)) dims.push(null);
    else if (/^-?\d+$/.test(part)) dims.push(Number(part));
    else return parseIntList(text);
  }
  return dims;
}

/** "28, 28, 1", "3x3" and "3×3" all read as lists of whole numbers; anything else is null. */
function parseIntList(text: string): number[] | null {
  const parts = text.split(/\s*[,x×]\s*|\s+/i).filter((p) => p !== '');
  if (parts.length === 0 || !parts.every((p) => /^-?\d+$/.test(p))) return null;
  return parts.map(Number);
}

/** Field values for a layer block: every argument (given or default), as Blockly saves them. */
export function layerFields(layer: LayerDefinition, args: Readonly<Record<string, unknown>> = {}): Record<string, FieldValue> {
  const fields: Record<string, FieldValue> = {};
  for (const arg of layer.args) fields[arg.name] = argToField(arg, arg.name in args ? args[arg.name] : arg.default);
  return fields;
}
