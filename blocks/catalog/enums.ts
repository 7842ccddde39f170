/**
 * Named choices shared by many layers. `value` is the TF.js identifier (what generated
 * TF.js code and the trainer use); `keras` is the Python name for the Keras emitter.
 */
import type { InitializerSettings } from '../format/initializer';
import type { EnumOption } from './define';

export const ACTIVATIONS: readonly EnumOption[] = [
  { value: 'linear', keras: 'linear', label: 'none (linear)', doc: 'Passes numbers through unchanged.' },
  { value: 'relu', keras: 'relu', label: 'relu', doc: 'Keeps positive numbers and turns negative ones into 0. The usual choice inside a network.' },
  { value: 'sigmoid', keras: 'sigmoid', label: 'sigmoid', doc: 'Squashes any number into the range 0 to 1. Good for yes/no outputs.' },
  { value: 'softmax', keras: 'softmax', label: 'softmax', doc: 'Turns a list of numbers into probabilities that add up to 1. Use it on the last layer to pick one class.' },
  { value: 'tanh', keras: 'tanh', label: 'tanh', doc: 'Squashes any number into the range -1 to 1.' },
  { value: 'elu', keras: 'elu', label: 'elu', doc: 'Like relu, but negative numbers curve smoothly down to -1 instead of becoming 0.' },
  { value: 'selu', keras: 'selu', label: 'selu', doc: 'A scaled elu that keeps numbers in a steady range in deep stacks of Dense layers.' },
  { value: 'relu6', keras: 'relu6', label: 'relu6', doc: 'Like relu, but caps numbers at 6.' },
  { value: 'softplus', keras: 'softplus', label: 'softplus', doc: 'A smooth version of relu.' },
  { value: 'softsign', keras: 'softsign', label: 'softsign', doc: 'Squashes numbers into -1 to 1, more gently than tanh.' },
  { value: 'hardSigmoid', keras: 'hard_sigmoid', label: 'hard sigmoid', doc: 'A quick straight-line version of sigmoid.' },
  { value: 'swish', keras: 'swish', label: 'swish', doc: 'A smooth relu-like curve: the number times its sigmoid.' },
  { value: 'mish', keras: 'mish', label: 'mish', doc: 'A smooth relu-like curve, similar to swish.' },
  { value: 'gelu', keras: 'gelu', label: 'gelu', doc: 'A smooth relu-like curve used in transformer models.' },
];

/**
 * Initializers that need no extra settings, so one dropdown is enough; any other recipe is a
 * settings block plugged in beside the dropdown (./initializers.ts).
 */
export const INITIALIZERS: readonly EnumOption[] = [
  { value: 'glorotNormal', keras: 'glorot_normal', label: 'Glorot normal', doc: 'Random numbers scaled to the layer size (bell curve). TF.js default for Dense and Conv2D.' },
  { value: 'glorotUniform', keras: 'glorot_uniform', label: 'Glorot uniform', doc: 'Random numbers scaled to the layer size (evenly spread). Keras default.' },
  { value: 'heNormal', keras: 'he_normal', label: 'He normal', doc: 'Random numbers scaled for relu layers (bell curve).' },
  { value: 'heUniform', keras: 'he_uniform', label: 'He uniform', doc: 'Random numbers scaled for relu layers (evenly spread).' },
  { value: 'leCunNormal', keras: 'lecun_normal', label: 'LeCun normal', doc: 'Random numbers scaled for selu layers (bell curve).' },
  { value: 'leCunUniform', keras: 'lecun_uniform', label: 'LeCun uniform', doc: 'Random numbers scaled for selu layers (evenly spread).' },
  { value: 'randomNormal', keras: 'random_normal', label: 'random normal', doc: 'Small random numbers from a bell curve.' },
  { value: 'randomUniform', keras: 'random_uniform', label: 'random uniform', doc: 'Small random numbers spread evenly between -0.05 and 0.05.' },
  { value: 'truncatedNormal', keras: 'truncated_normal', label: 'truncated normal', doc: 'Small random numbers from a bell curve, without extreme values.' },
  { value: 'zeros', keras: 'zeros', label: 'zeros', doc: 'Starts every number at 0.' },
  { value: 'ones', keras: 'ones', label: 'ones', doc: 'Starts every number at 1.' },
  { value: 'orthogonal', keras: 'orthogonal', label: 'orthogonal', doc: 'Random numbers arranged so no two rows point the same way. TF.js default for memory weights in recurrent layers.' },
  { value: 'identity', keras: 'identity', label: 'identity', doc: 'Ones on the diagonal and zeros elsewhere, so the layer starts by passing its input through (square weights only).' },
];

/**
 * What each initializer above is as numbers, in the general forms Keras writes: Keras 2.2.4
 * saves glorot_uniform as VarianceScaling(1, fan_avg, uniform), tf.keras 2 as GlorotUniform,
 * so a file is matched by what its initializer does, not by how it is spelled. The settings
 * are Keras's and TF.js's defaults (they agree: RandomUniform ±0.05, normal stddev 0.05).
 */
export type InitializerForm = InitializerSettings;

export const INITIALIZER_FORMS: Readonly<Record<string, InitializerForm>> = {
  glorotNormal: { kind: 'varianceScaling', scale: 1, mode: 'fan_avg', distribution: 'truncated_normal' },
  glorotUniform: { kind: 'varianceScaling', scale: 1, mode: 'fan_avg', distribution: 'uniform' },
  heNormal: { kind: 'varianceScaling', scale: 2, mode: 'fan_in', distribution: 'truncated_normal' },
  heUniform: { kind: 'varianceScaling', scale: 2, mode: 'fan_in', distribution: 'uniform' },
  leCunNormal: { kind: 'varianceScaling', scale: 1, mode: 'fan_in', distribution: 'truncated_normal' },
  leCunUniform: { kind: 'varianceScaling', scale: 1, mode: 'fan_in', distribution: 'uniform' },
  randomNormal: { kind: 'randomNormal', mean: 0, stddev: 0.05 },
  randomUniform: { kind: 'randomUniform', minval: -0.05, maxval: 0.05 },
  truncatedNormal: { kind: 'truncatedNormal', mean: 0, stddev: 0.05 },
  zeros: { kind: 'constant', value: 0 },
  ones: { kind: 'constant', value: 1 },
  orthogonal: { kind: 'orthogonal', gain: 1 },
  identity: { kind: 'identity', gain: 1 },
};

/**
 * Penalties that push weights to stay small while training. TF.js knows only "l1l2" by name,
 * so L1 and L2 are given as L1L2 configs with the other part at 0 (Keras's defaults: 0.01).
 */
export const REGULARIZERS: readonly EnumOption[] = [
  { value: 'none', tfjs: null, keras: 'None', label: 'none', doc: 'No penalty.' },
  { value: 'l1', tfjs: { className: 'L1L2', config: { l1: 0.01, l2: 0 } }, keras: 'l1', label: 'L1', doc: 'Penalises the size of every weight, which pushes many of them to exactly 0.' },
  { value: 'l2', tfjs: { className: 'L1L2', config: { l1: 0, l2: 0.01 } }, keras: 'l2', label: 'L2', doc: 'Penalises big weights most, which keeps all of them small.' },
  { value: 'l1l2', tfjs: { className: 'L1L2', config: { l1: 0.01, l2: 0.01 } }, keras: 'l1_l2', label: 'L1 and L2', doc: 'Both penalties together.' },
];

/** Rules applied to weights after every training step. */
export const CONSTRAINTS: readonly EnumOption[] = [
  { value: 'none', tfjs: null, keras: 'None', label: 'none', doc: 'No rule: weights can become any number.' },
  { value: 'maxNorm', keras: 'max_norm', label: 'max norm', doc: 'Shrinks each group of weights whose length grows above 2.' },
  { value: 'minMaxNorm', keras: 'min_max_norm', label: 'min-max norm', doc: 'Keeps the length of each group of weights between 0 and 1.' },
  { value: 'nonNeg', keras: 'non_neg', label: 'not negative', doc: 'Turns negative weights into 0.' },
  { value: 'unitNorm', keras: 'unit_norm', label: 'unit norm', doc: 'Scales each group of weights to length 1.' },
];

export const DATA_FORMATS: readonly EnumOption[] = [
  { value: 'channelsLast', keras: 'channels_last', label: 'channels last', doc: 'Height, width, then colour channels (28,28,1): the usual order.' },
  { value: 'channelsFirst', keras: 'channels_first', label: 'channels first', doc: 'Colour channels first, then height and width (1,28,28).' },
];

export const INTERPOLATIONS: readonly EnumOption[] = [
  { value: 'nearest', keras: 'nearest', label: 'nearest', doc: 'Copies the nearest pixel: blocky but fast.' },
  { value: 'bilinear', keras: 'bilinear', label: 'bilinear', doc: 'Blends the four nearest pixels: smoother.' },
];

export const PADDINGS: readonly EnumOption[] = [
  { value: 'valid', keras: 'valid', label: 'valid', doc: 'No padding: the output is smaller than the input.' },
  { value: 'same', keras: 'same', label: 'same', doc: 'Pads the edges with zeros so the output keeps the same height and width (with stride 1).' },
];
