/**
 * The one helper every layer file uses. A layer definition is plain data plus pure shape
 * and parameter arithmetic, so block definitions, toolboxes, validation, code generators
 * and the shape checker can all be derived from it without importing Blockly or TF.js.
 */
import type { CategoryKey } from './categories';

/** One dimension of a sample's shape; null where it is only known at run time. */
export type Dim = number | null;
/** The shape of ONE sample: the batch dimension is left out here and added by the shape trace. */
export type Shape = readonly Dim[];
export type IntOrPair = number | readonly [number, number];

interface ArgCommon {
  /** One line a student reads in a tooltip. */
  doc: string;
  /** The words shown on the block; defaults to the argument name. */
  label?: string;
  /** Hidden behind "more options" on the block; the code still uses it. */
  advanced?: boolean;
  /**
   * Always printed in generated code: Keras has no default for it (Dense units; `default` is
   * then only the value a new block starts with), or the layer reads as nothing without it
   * (pool size).
   */
  essential?: boolean;
}

export interface IntArgSpec extends ArgCommon {
  type: 'int';
  default: number | null;
  min?: number;
  max?: number;
  /** When set, null is allowed and means this (e.g. "same as the pool size"); the block shows AUTO_TEXT ("auto"). */
  nullMeans?: string;
}
export interface FloatArgSpec extends ArgCommon {
  type: 'float';
  default: number | null;
  min?: number;
  max?: number;
  /** The bound itself is not allowed (Dropout rate < 1). */
  minExclusive?: boolean;
  maxExclusive?: boolean;
  /** When set, null is allowed and means this (e.g. "no limit"); the block shows AUTO_TEXT ("auto"). */
  nullMeans?: string;
}
export interface EnumOption {
  /** The TF.js identifier, e.g. "glorotUniform"; also what a spec stores. */
  value: string;
  /**
   * What TF.js is given instead of `value`, where TF.js has no identifier for it: null for
   * "none", or a config object (TF.js knows only "l1l2" among regularizer names).
   */
  tfjs?: unknown;
  /** The Keras (Python) identifier, for the Keras emitter and importer. */
  keras: string;
  label: string;
  doc: string;
}
export interface EnumArgSpec extends ArgCommon {
  type: 'enum';
  options: readonly EnumOption[];
  default: string;
}
export interface BoolArgSpec extends ArgCommon {
  type: 'bool';
  default: boolean;
}
export interface ShapeArgSpec extends ArgCommon {
  type: 'shape';
  default: readonly number[];
  minLength: number;
  maxLength: number;
  /** Largest size of one dimension. */
  maxDim: number;
  /**
   * A size may be left open (null, typed "any"): known only when data comes in, like a text
   * of any length. Keras writes it None, TF.js null; the shape checker carries it through.
   */
  anySize?: boolean;
}
export interface IntOrPairArgSpec extends ArgCommon {
  type: 'intOrPair';
  default: IntOrPair | null;
  min: number;
  max: number;
  /** When set, null is allowed and means this (e.g. "same as the pool size"). */
  nullMeans?: string;
  /** TF.js reads only the two-number form (UpSampling2D size), so 2 is given to it as 2,2. */
  pairOnly?: boolean;
}

/** One whole number for every axis, or one per axis: a 3-D kernel is 3 or 3,3,5. */
export interface IntTupleArgSpec extends ArgCommon {
  type: 'intTuple';
  default: number | readonly number[] | null;
  /** How many axes (numbers) the full form has. */
  length: number;
  min: number;
  max: number;
  /** When set, null is allowed and means this; the block shows AUTO_TEXT ("auto"). */
  nullMeans?: string;
}
/** A list of whole numbers of varying length, e.g. Permute's new axis order 2,1. */
export interface IntListArgSpec extends ArgCommon {
  type: 'intList';
  default: readonly number[] | null;
  minLength: number;
  maxLength: number;
  min: number;
  max: number;
  /** When set, null is allowed and means this; the block shows AUTO_TEXT ("auto"). */
  nullMeans?: string;
}

export type ArgSpec = IntArgSpec | FloatArgSpec | EnumArgSpec | BoolArgSpec | ShapeArgSpec | IntOrPairArgSpec | IntTupleArgSpec | IntListArgSpec;
export type ArgType = ArgSpec['type'];
export type ArgDefinition = ArgSpec & { name: string; label: string };

/** The TypeScript type of an argument's value, so layer rules read `args.units` as a number. */
export type ArgValue<S extends ArgSpec> = S extends IntArgSpec
  ? S['default'] extends null
    ? number | null
    : number
  : S extends FloatArgSpec
    ? S['default'] extends null
      ? number | null
      : number
  : S extends IntTupleArgSpec
    ? S['default'] extends null
      ? number | readonly number[] | null
      : number | readonly number[]
  : S extends IntListArgSpec
    ? S['default'] extends null
      ? readonly number[] | null
      : readonly number[]
  : S extends EnumArgSpec
    ? string
    : S extends BoolArgSpec
      ? boolean
      : S extends ShapeArgSpec
        ? S['anySize'] extends true
          ? readonly Dim[]
          : readonly number[]
        : S extends IntOrPairArgSpec
          ? S['default'] extends null
            ? IntOrPair | null
            : IntOrPair
          : never;
export type ArgValues<A extends Record<string, ArgSpec>> = { readonly [K in keyof A]: ArgValue<A[K]> };
/** Argument values after validation and defaults, as the generic (untyped) consumers see them. */
export type ResolvedArgs = Readonly<Record<string, unknown>>;

/** Why a layer can't compute its output shape, in a student's words. */
export interface LayerProblem {
  code: string;
  message: string;
  fix: string;
}
export type ShapeOutcome = { shape: Shape } | { problem: LayerProblem };

/** How many dimensions a sample must have when it reaches the layer (batch not counted). */
export interface RankRule {
  min: number;
  max: number;
  /**
   * What to tell a student whose data is already a flat list when this layer needs more
   * dimensions, where the general advice (a Reshape block) would be wrong.
   */
  whenFlat?: { message: string; fix: string };
}

interface LayerInput<A extends Record<string, ArgSpec>> {
  /** Catalogue key, also the spec's layer type and (prefixed) the block type. */
  key: string;
  kerasClass: string;
  /** Name of the factory under tf.layers, e.g. "conv2d" for tf.layers.conv2d. Input layers have none. */
  tfjsFactory: string | null;
  label: string;
  category: CategoryKey;
  doc: string;
  args: A;
  /** Null for input layers, which take no input. */
  inputRank: RankRule | null;
  outputShape(input: Shape, args: ArgValues<A>): ShapeOutcome;
  params(input: Shape, args: ArgValues<A>): number;
  /** Rules that involve two or more arguments; single-argument ranges are checked from `args`. */
  checkArgs?(args: ArgValues<A>): LayerProblem[];
  /**
   * Typical uses: an input shape (one sample) and the arguments that differ from the defaults.
   * Tests build each one in TF.js and compare shapes and parameter counts with the rules
   * above; the layer reference page shows them. Input layers have none.
   */
  examples: readonly LayerExample<A>[];
  /** Only for layers that combine several inputs (Add, Concatenate…); see MergeRule. */
  merge?: MergeRule<ArgValues<A>>;
  /** Only for wrappers that run another layer inside (Bidirectional LSTM); see WrapperRule. */
  wraps?: WrapperRule;
}

export interface LayerExample<A extends Record<string, ArgSpec> = Record<string, ArgSpec>> {
  /** For merge layers: the first of `inputs`. */
  input: Shape;
  /** Merge layers only: every input shape, in order. */
  inputs?: readonly Shape[];
  args?: Partial<ArgValues<A>>;
}

/**
 * How a layer that takes several inputs works out its output. Such layers still have
 * `outputShape`/`params` for one input (the first), so code that only knows single-input
 * layers keeps working; the shape checker uses this rule instead when it is there.
 */
export interface MergeRule<V = ResolvedArgs> {
  /** Fewest and most inputs the layer accepts. */
  minInputs: number;
  maxInputs: number;
  outputShape(inputs: readonly Shape[], args: V): ShapeOutcome;
}

/**
 * A block that is really two Keras layers, one inside the other: Bidirectional(LSTM),
 * TimeDistributed(Dense). Students see one block with both layers' settings; the code
 * generators, the trainer and the Keras file format need to know which setting goes where.
 */
export interface WrapperRule {
  /** The layer inside, e.g. LSTM inside Bidirectional. */
  inner: LayerDefinition;
  /** Names of the wrapper's own arguments (mergeMode); every other argument is the inner layer's. */
  ownArgs: readonly string[];
}

export interface LayerDefinition {
  key: string;
  kerasClass: string;
  tfjsFactory: string | null;
  label: string;
  category: CategoryKey;
  doc: string;
  args: readonly ArgDefinition[];
  isInput: boolean;
  inputRank: RankRule | null;
  outputShape(input: Shape, args: ResolvedArgs): ShapeOutcome;
  params(input: Shape, args: ResolvedArgs): number;
  checkArgs(args: ResolvedArgs): LayerProblem[];
  examples: readonly { input: Shape; inputs?: readonly Shape[]; args: ResolvedArgs }[];
  /** Present only on layers that combine several inputs. */
  merge?: MergeRule;
  /** Present only on wrappers around another layer. */
  wraps?: WrapperRule;
}

/** A wrapper's argument values split into its own and the inner layer's. */
export function splitWrapperArgs(rule: WrapperRule, values: ResolvedArgs): { own: Record<string, unknown>; inner: Record<string, unknown> } {
  const own: Record<string, unknown> = {};
  const inner: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) (rule.ownArgs.includes(name) ? own : inner)[name] = value;
  return { own, inner };
}

export function defineLayer<const A extends Record<string, ArgSpec>>(input: LayerInput<A>): LayerDefinition {
  const args = Object.entries(input.args).map(
    ([name, spec]): ArgDefinition => ({ ...spec, name, label: spec.label ?? name }),
  );
  // The typed rules only ever receive values that passed validation against `args`,
  // which is what makes this cast from the generic record safe.
  type Typed = ArgValues<A>;
  return {
    key: input.key,
    kerasClass: input.kerasClass,
    tfjsFactory: input.tfjsFactory,
    label: input.label,
    category: input.category,
    doc: input.doc,
    args,
    isInput: input.inputRank === null,
    inputRank: input.inputRank,
    outputShape: (shape, values) => input.outputShape(shape, values as Typed),
    params: (shape, values) => input.params(shape, values as Typed),
    checkArgs: (values) => input.checkArgs?.(values as Typed) ?? [],
    examples: input.examples.map((e) => ({ input: e.input, ...(e.inputs ? { inputs: e.inputs } : {}), args: (e.args ?? {}) as ResolvedArgs })),
    ...(input.merge ? { merge: typedMerge(input.merge) } : {}),
    ...(input.wraps ? { wraps: input.wraps } : {}),
  };

  function typedMerge(rule: MergeRule<Typed>): MergeRule {
    return { minInputs: rule.minInputs, maxInputs: rule.maxInputs, outputShape: (shapes, values) => rule.outputShape(shapes, values as Typed) };
  }
}

// Argument builders: they only pin the `type` tag so each layer file reads as a table.
export function int(o: Omit<IntArgSpec, 'type' | 'default' | 'nullMeans'> & { default: number }): IntArgSpec & { default: number };
export function int(o: Omit<IntArgSpec, 'type'> & { default: null; nullMeans: string }): IntArgSpec & { default: null };
export function int(o: Omit<IntArgSpec, 'type'>): IntArgSpec {
  return { type: 'int', ...o };
}
export function float(o: Omit<FloatArgSpec, 'type' | 'default' | 'nullMeans'> & { default: number }): FloatArgSpec & { default: number };
export function float(o: Omit<FloatArgSpec, 'type'> & { default: null; nullMeans: string }): FloatArgSpec & { default: null };
export function float(o: Omit<FloatArgSpec, 'type'>): FloatArgSpec {
  return { type: 'float', ...o };
}
export function intTuple(o: Omit<IntTupleArgSpec, 'type' | 'default' | 'nullMeans'> & { default: number | readonly number[] }): IntTupleArgSpec & { default: number | readonly number[] };
export function intTuple(o: Omit<IntTupleArgSpec, 'type'> & { default: null; nullMeans: string }): IntTupleArgSpec & { default: null };
export function intTuple(o: Omit<IntTupleArgSpec, 'type'>): IntTupleArgSpec {
  return { type: 'intTuple', ...o };
}
export function intList(o: Omit<IntListArgSpec, 'type' | 'default' | 'nullMeans'> & { default: readonly number[] }): IntListArgSpec & { default: readonly number[] };
export function intList(o: Omit<IntListArgSpec, 'type'> & { default: null; nullMeans: string }): IntListArgSpec & { default: null };
export function intList(o: Omit<IntListArgSpec, 'type'>): IntListArgSpec {
  return { type: 'intList', ...o };
}
export const bool = (o: Omit<BoolArgSpec, 'type'>): BoolArgSpec => ({ type: 'bool', ...o });
export const shape = <const O extends Omit<ShapeArgSpec, 'type'>>(o: O): O & { type: 'shape' } => ({ type: 'shape', ...o });
export const choice = (options: readonly EnumOption[], o: Omit<EnumArgSpec, 'type' | 'options'>): EnumArgSpec => ({
  type: 'enum',
  options,
  ...o,
});
export function intOrPair(o: Omit<IntOrPairArgSpec, 'type' | 'default' | 'nullMeans'> & { default: IntOrPair }): IntOrPairArgSpec & { default: IntOrPair };
export function intOrPair(o: Omit<IntOrPairArgSpec, 'type'> & { default: null; nullMeans: string }): IntOrPairArgSpec & { default: null };
export function intOrPair(o: Omit<IntOrPairArgSpec, 'type'>): IntOrPairArgSpec {
  return { type: 'intOrPair', ...o };
}
