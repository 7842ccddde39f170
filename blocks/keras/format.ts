/**
 * The Keras JSON format (`model.to_json()`, and a Keras 3 `.keras` file's config.json) as
 * typed interfaces, kept apart from the code that reads and writes it, the way tfjs-layers
 * keeps `src/keras_format/` apart from its layers. Field names are Keras's (snake_case).
 *
 * Four dialects write it, and each field below says which ones do:
 * - Keras 2.2.4 (standalone `keras`): Sequential has no InputLayer (the first layer carries
 *   `batch_input_shape`), functional models are "Model", every initializer is a class
 *   (`glorot_uniform` is written as VarianceScaling(1, fan_avg, uniform)).
 * - tf.keras 2.12: functional models are "Functional", initializers by their own class
 *   (GlorotUniform), BatchNormalization's `axis` a list after build.
 * - tf.keras 2.15: every nested object (layer, initializer) is wrapped with `module` and
 *   `registered_name`, and each built layer has a `build_config`.
 * - Keras 3: `batch_shape` instead of `batch_input_shape`, dtype a DTypePolicy object,
 *   inbound nodes as `{args, kwargs}` holding `__keras_tensor__` objects.
 */

/** Any value JSON can hold. */
export type JsonValue = boolean | number | string | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** `{class_name, config}`: how Keras writes any object it can rebuild (layer, initializer…). */
export interface KerasSerialization<N extends string = string, C = JsonObject> {
  class_name: N;
  config: C;
  /** tf.keras 2.13+ and Keras 3: the Python module, e.g. "keras.layers". */
  module?: string | null;
  /** tf.keras 2.13+ and Keras 3: set for custom objects only; null for Keras's own. */
  registered_name?: string | null;
}

/** One dimension of a batch shape; null is "any size" (the batch, or a sequence of any length). */
export type KerasDim = number | null;

/** tf.keras 2.13+ and Keras 3: what `build()` was called with, written beside `config`. */
export interface KerasBuildConfig {
  input_shape?: KerasDim[] | KerasDim[][] | null;
  shapes_dict?: Record<string, KerasDim[]>;
}

/** Keras 3's dtype: a policy object where Keras 2 writes a string. */
export type KerasDtype = string | KerasSerialization<'DTypePolicy' | 'FloatDTypePolicy', { name: string }>;

/** The settings every layer writes (Keras's `Layer.get_config()`). */
export interface KerasLayerBaseConfig {
  name: string;
  trainable?: boolean;
  dtype?: KerasDtype | null;
  /** Keras 2: on the first layer of a Sequential model without an InputLayer, and on InputLayer. */
  batch_input_shape?: KerasDim[];
  /** Keras 3's InputLayer. */
  batch_shape?: KerasDim[];
  [setting: string]: unknown;
}

/** InputLayer's config. */
export interface KerasInputLayerConfig extends KerasLayerBaseConfig {
  sparse?: boolean;
  ragged?: boolean;
  /** Keras 3 may write the sample shape without the batch size. */
  shape?: KerasDim[];
}

/**
 * A Keras 2 inbound node: one entry per input tensor, `[layer name, node index, tensor index,
 * call kwargs]`.
 */
export type Keras2InboundNode = [string, number, number, JsonObject?][];

/** A Keras 3 tensor reference inside an inbound node's `args`. */
export interface Keras3TensorRef {
  class_name: '__keras_tensor__';
  config: { shape: KerasDim[]; dtype: string; keras_history: [string, number, number] };
}

/** A Keras 3 inbound node: the call's arguments, one tensor or a list of them (Add, Concatenate). */
export interface Keras3InboundNode {
  args: (Keras3TensorRef | Keras3TensorRef[])[];
  kwargs: JsonObject;
}

/** One entry of `config.layers`. */
export interface KerasLayerJson extends KerasSerialization<string, KerasLayerBaseConfig> {
  /** Functional models only (Keras 2 and 3); equal to `config.name`. */
  name?: string;
  inbound_nodes?: Keras2InboundNode[] | Keras3InboundNode[];
  build_config?: KerasBuildConfig;
}

/** `[layer name, node index, tensor index]`; Keras 3 writes a single one without the outer list. */
export type KerasEndpoint = [string, number, number];

export interface KerasSequentialConfig {
  name: string;
  layers: KerasLayerJson[];
  /** tf.keras 2.12+ and Keras 3. */
  trainable?: boolean;
  dtype?: KerasDtype;
}

export interface KerasFunctionalConfig extends KerasSequentialConfig {
  input_layers: KerasEndpoint[] | KerasEndpoint;
  output_layers: KerasEndpoint[] | KerasEndpoint;
}

/** Keras 2.2.4 calls functional models "Model"; tf.keras 2.12+ and Keras 3 "Functional". */
export type KerasModelClass = 'Sequential' | 'Model' | 'Functional';
export const KERAS_MODEL_CLASSES: ReadonlySet<string> = new Set<KerasModelClass>(['Sequential', 'Model', 'Functional']);

/** The whole file `model.to_json()` writes. */
export interface KerasModelJson extends KerasSerialization<KerasModelClass, KerasSequentialConfig | KerasFunctionalConfig> {
  keras_version?: string;
  backend?: string;
  build_config?: KerasBuildConfig;
  compile_config?: JsonObject | null;
}

// ---------------------------------------------------------------------------------------
// Initializers (keras/initializers.py of each release)

export type VarianceScalingMode = 'fan_in' | 'fan_out' | 'fan_avg';
/** 2.2.4 writes "normal" for what tf.keras 2 calls "truncated_normal"; "untruncated_normal" is a true normal. */
export type VarianceScalingDistribution = 'normal' | 'uniform' | 'truncated_normal' | 'untruncated_normal';

export interface VarianceScalingConfig {
  scale: number;
  mode: VarianceScalingMode;
  distribution: VarianceScalingDistribution;
  seed?: number | null;
}
export interface RandomNormalConfig {
  mean: number;
  stddev: number;
  seed?: number | null;
}
export interface RandomUniformConfig {
  minval: number;
  maxval: number;
  seed?: number | null;
}
export interface OrthogonalConfig {
  gain: number;
  seed?: number | null;
}
export interface IdentityConfig {
  gain: number;
}
export interface ConstantConfig {
  value: number;
}
/** GlorotUniform, HeNormal, LeCunUniform… (tf.keras 2 and Keras 3): only a seed. */
export interface SeedOnlyConfig {
  seed?: number | null;
}

export type KerasInitializerJson =
  | KerasSerialization<'VarianceScaling', VarianceScalingConfig>
  | KerasSerialization<'RandomNormal' | 'TruncatedNormal', RandomNormalConfig>
  | KerasSerialization<'RandomUniform', RandomUniformConfig>
  | KerasSerialization<'Orthogonal', OrthogonalConfig>
  | KerasSerialization<'Identity', IdentityConfig>
  | KerasSerialization<'Constant', ConstantConfig>
  | KerasSerialization<'Zeros' | 'Ones', Record<string, never>>
  | KerasSerialization<
      'GlorotUniform' | 'GlorotNormal' | 'HeUniform' | 'HeNormal' | 'LecunUniform' | 'LecunNormal',
      SeedOnlyConfig
    >;
