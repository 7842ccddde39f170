/**
 * Checks a layer's argument values against the catalogue and fills in defaults. This is the
 * one place that words "this value is wrong" messages, whether the values came from blocks,
 * an imported Keras file or the API.
 */
import { CUSTOM_INITIALIZER, CUSTOM_INITIALIZER_LABEL, initializerProblem, initializerRecipe, isInitializerArg, type ArgDefinition, type LayerDefinition, type ResolvedArgs } from '../catalog';
import { formatCount, formatValue } from '../catalog/words';
import type { Diagnostic } from '../format/diagnostic';

export interface ResolvedLayerArgs {
  /** Every argument with a valid value (given or default); null when any value is invalid. */
  args: ResolvedArgs | null;
  diagnostics: Diagnostic[];
}

export function resolveArgs(layer: LayerDefinition, given: Readonly<Record<string, unknown>>, blockId: string): ResolvedLayerArgs {
  const diagnostics: Diagnostic[] = [];
  const args: Record<string, unknown> = {};
  for (const arg of layer.args) {
    const value = given[arg.name] === undefined ? arg.default : given[arg.name];
    const recipeProblem = isInitializerArg(arg) && typeof value === 'object' && value !== null ? initializerProblem(value) : null;
    if (recipeProblem) {
      const recipe = initializerRecipe(String((value as { kind?: unknown }).kind));
      diagnostics.push({
        blockId,
        severity: 'error',
        code: 'invalid-arg',
        message: recipe
          ? `The ${recipe.label} block in the "${arg.label}" row of this ${layer.label} block has ${recipeProblem.setting ? `a "${recipeProblem.setting}" that ${recipeProblem.must}` : `a problem: it ${recipeProblem.must}`}.`
          : `The "${arg.label}" field of this ${layer.label} block ${recipeProblem.must}.`,
        fix: recipe ? `Change the ${recipe.label} block's settings, or pick a named choice in "${arg.label}".` : `Pick one of the choices in "${arg.label}".`,
      });
      args[arg.name] = value;
      continue;
    }
    const problem = isInitializerArg(arg) && typeof value === 'object' && value !== null ? null : checkValue(arg, value);
    if (problem) {
      diagnostics.push({
        blockId,
        severity: 'error',
        code: 'invalid-arg',
        message: `The "${arg.label}" field of this ${layer.label} block is ${formatValue(value)}, but it ${problem.must}.`,
        fix: problem.fix,
      });
    }
    args[arg.name] = value;
  }
  const known = new Set(layer.args.map((a) => a.name));
  for (const name of Object.keys(given)) {
    if (!known.has(name)) {
      diagnostics.push({
        blockId,
        severity: 'warning',
        code: 'unknown-arg',
        message: `This ${layer.label} block has a setting "${name}" that Layerbook doesn't know, so it is ignored.`,
        fix: 'Nothing to do unless you meant another setting; check its spelling.',
      });
    }
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { args: null, diagnostics };
  for (const p of layer.checkArgs(args)) diagnostics.push({ blockId, severity: 'error', ...p });
  return { args: diagnostics.some((d) => d.severity === 'error') ? null : args, diagnostics };
}

interface ValueProblem {
  /** Completes "…, but it ___." */
  must: string;
  fix: string;
}

function checkValue(arg: ArgDefinition, value: unknown): ValueProblem | null {
  const setTo = `Set "${arg.label}" to`;
  switch (arg.type) {
    case 'int':
      if (value === null && arg.nullMeans !== undefined) return null;
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        const auto = arg.nullMeans !== undefined ? ` or "auto" (${arg.nullMeans})` : '';
        return { must: `must be a whole number${auto}`, fix: `${setTo} a whole number such as ${arg.default ?? arg.min ?? 1}${auto}.` };
      }
      return checkRange(arg, value, `${setTo}`);
    case 'float':
      if (value === null && arg.nullMeans !== undefined) return null;
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        const auto = arg.nullMeans !== undefined ? ` or "auto" (${arg.nullMeans})` : '';
        return { must: `must be a number${auto}`, fix: `${setTo} a number such as ${arg.default ?? 1}${auto}.` };
      }
      return checkRange(arg, value, setTo);
    case 'bool':
      return typeof value === 'boolean' ? null : { must: 'must be on or off', fix: `Tick or untick "${arg.label}".` };
    case 'enum':
      if (typeof value === 'string' && arg.options.some((o) => o.value === value)) return null;
      if (isInitializerArg(arg) && value === CUSTOM_INITIALIZER) {
        return {
          must: `needs a starting-weights block plugged in beside it (it says "${CUSTOM_INITIALIZER_LABEL}")`,
          fix: `Drag a block from the "Starting weights" category into the "${arg.label}" row, or pick another choice there.`,
        };
      }
      return {
        must: "isn't one of the choices",
        fix: `Pick one of: ${arg.options.map((o) => o.label).join(', ')}.`,
      };
    case 'shape':
      return checkShape(arg, value);
    case 'intOrPair':
      return checkIntOrPair(arg, value);
    case 'intTuple':
      return checkIntTuple(arg, value);
    case 'intList':
      return checkIntList(arg, value);
  }
}

function checkIntTuple(arg: ArgDefinition & { type: 'intTuple' }, value: unknown): ValueProblem | null {
  if (value === null && arg.nullMeans !== undefined) return null;
  const example = Array.from({ length: arg.length }, (_, i) => (i === arg.length - 1 ? 5 : 3)).join(',');
  const numbers = typeof value === 'number' ? [value] : Array.isArray(value) && value.length === arg.length ? value : null;
  if (numbers === null || !numbers.every((n) => typeof n === 'number' && Number.isInteger(n))) {
    return {
      must: `must be one whole number like 3, or ${arg.length} like ${example}`,
      fix: `Set "${arg.label}" to one whole number, or ${arg.length} separated by commas.`,
    };
  }
  return numbers.some((n: number) => n < arg.min || n > arg.max) ? outOfRange(arg) : null;
}

function checkIntList(arg: ArgDefinition & { type: 'intList' }, value: unknown): ValueProblem | null {
  if (value === null && arg.nullMeans !== undefined) return null;
  const auto = arg.nullMeans !== undefined ? ` or "auto" (${arg.nullMeans})` : '';
  const count = arg.minLength === arg.maxLength ? `${arg.minLength}` : `${arg.minLength} to ${arg.maxLength}`;
  if (!Array.isArray(value) || !value.every((n) => typeof n === 'number' && Number.isInteger(n))) {
    return { must: `must be whole numbers separated by commas${auto}`, fix: `Type ${count} whole numbers separated by commas${auto}.` };
  }
  if (value.length < arg.minLength || value.length > arg.maxLength) {
    return { must: `must have ${count} numbers`, fix: `Type ${count} whole numbers separated by commas${auto}.` };
  }
  return value.some((n: number) => n < arg.min || n > arg.max) ? outOfRange(arg) : null;
}

function outOfRange(arg: ArgDefinition & { min: number; max: number }): ValueProblem {
  return {
    must: `must only have numbers from ${arg.min} to ${arg.max}`,
    fix: `Set every number in "${arg.label}" to a whole number from ${arg.min} to ${arg.max}.`,
  };
}

function checkRange(arg: ArgDefinition & { type: 'int' | 'float' }, value: number, setTo: string): ValueProblem | null {
  const min = arg.min;
  const max = arg.max;
  const minExclusive = arg.type === 'float' && arg.minExclusive === true;
  const maxExclusive = arg.type === 'float' && arg.maxExclusive === true;
  const tooSmall = min !== undefined && (minExclusive ? value <= min : value < min);
  const tooBig = max !== undefined && (maxExclusive ? value >= max : value > max);
  if (!tooSmall && !tooBig) return null;
  const must = tooSmall
    ? minExclusive
      ? `must be more than ${formatCount(min!)}`
      : `must be at least ${formatCount(min!)}`
    : maxExclusive
      ? `must be less than ${formatCount(max!)}`
      : `can be at most ${formatCount(max!)}`;
  return { must, fix: `${setTo} ${describeRange(arg)}, for example ${arg.default ?? arg.min ?? 1}.` };
}

/** "a number from 0 up to (not including) 1", "a whole number from 1 to 100,000". */
function describeRange(arg: ArgDefinition & { type: 'int' | 'float' }): string {
  const kind = arg.type === 'int' ? 'a whole number' : 'a number';
  const exclusive = (flag: boolean | undefined) => (flag ? ' (not including)' : '');
  const lower = arg.type === 'float' && arg.minExclusive ? `above ${arg.min}` : `from ${formatCount(arg.min ?? 0)}`;
  if (arg.max === undefined) return `${kind} ${lower} or more`;
  const upperWord = arg.type === 'float' && arg.maxExclusive ? 'up to' : 'to';
  return `${kind} ${lower} ${upperWord}${exclusive(arg.type === 'float' && arg.maxExclusive)} ${formatCount(arg.max)}`;
}

function checkShape(arg: ArgDefinition & { type: 'shape' }, value: unknown): ValueProblem | null {
  const example = arg.default.join(',');
  const wholeNumbers: ValueProblem = {
    must: 'must be whole numbers separated by commas',
    fix: `Type the sizes separated by commas, like ${example}.`,
  };
  if (!Array.isArray(value) || !value.every((d) => (typeof d === 'number' && Number.isInteger(d)) || (d === null && arg.anySize))) {
    return arg.anySize ? { ...wholeNumbers, fix: `${wholeNumbers.fix.slice(0, -1)}, or "any" for a size that changes from example to example (like a text's length).` } : wholeNumbers;
  }
  const dims = (value as (number | null)[]).filter((d): d is number => d !== null);
  if (value.length < arg.minLength || value.length > arg.maxLength) {
    return {
      must: `must have ${arg.minLength === arg.maxLength ? arg.minLength : `${arg.minLength} to ${arg.maxLength}`} numbers`,
      fix: `Type ${arg.minLength} to ${arg.maxLength} sizes separated by commas, like ${example}.`,
    };
  }
  if (dims.some((d) => d < 1 || d > arg.maxDim)) {
    return {
      must: `can only have sizes from 1 to ${formatCount(arg.maxDim)}`,
      fix: `Make every size at least 1, like ${example}.`,
    };
  }
  return null;
}

function checkIntOrPair(arg: ArgDefinition & { type: 'intOrPair' }, value: unknown): ValueProblem | null {
  if (value === null && arg.nullMeans !== undefined) return null;
  const auto = arg.nullMeans !== undefined ? ` or "auto" (${arg.nullMeans})` : '';
  const form: ValueProblem = {
    must: `must be one whole number like 3, or two like 3,5${auto}`,
    fix: `${`Set "${arg.label}" to`} one whole number, or two separated by a comma${auto}.`,
  };
  const numbers = typeof value === 'number' ? [value] : Array.isArray(value) && value.length === 2 ? value : null;
  if (numbers === null || !numbers.every((n) => typeof n === 'number' && Number.isInteger(n))) return form;
  if (numbers.some((n: number) => n < arg.min || n > arg.max)) {
    return {
      must: `must be from ${arg.min} to ${arg.max}`,
      fix: `Set "${arg.label}" to a whole number from ${arg.min} to ${arg.max}.`,
    };
  }
  return null;
}
