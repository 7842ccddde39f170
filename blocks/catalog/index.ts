/**
 * The layer catalogue. Adding a layer = one new file made with defineLayer() plus one line
 * in LAYERS; blocks, toolbox, validation, code and shape checks all follow from it.
 */
import type { LayerDefinition } from './define';
import { activation } from './activation';
import { add } from './add';
import { alphaDropout } from './alpha-dropout';
import { average } from './average';
import { averagePooling1d } from './average-pooling1d';
import { averagePooling2d } from './average-pooling2d';
import { averagePooling3d } from './average-pooling3d';
import { batchNormalization } from './batch-normalization';
import { bidirectionalGru } from './bidirectional-gru';
import { bidirectionalLstm } from './bidirectional-lstm';
import { bidirectionalSimpleRnn } from './bidirectional-simple-rnn';
import { categoryEncoding } from './category-encoding';
import { concatenate } from './concatenate';
import { conv1d } from './conv1d';
import { conv2d } from './conv2d';
import { conv2dTranspose } from './conv2d-transpose';
import { conv3d } from './conv3d';
import { conv3dTranspose } from './conv3d-transpose';
import { convLstm2d } from './conv-lstm2d';
import { cropping2d } from './cropping2d';
import { dense } from './dense';
import { depthwiseConv2d } from './depthwise-conv2d';
import { dot } from './dot';
import { dropout } from './dropout';
import { elu } from './elu';
import { embedding } from './embedding';
import { flatten } from './flatten';
import { gaussianDropout } from './gaussian-dropout';
import { gaussianNoise } from './gaussian-noise';
import { globalAveragePooling1d } from './global-average-pooling1d';
import { globalAveragePooling2d } from './global-average-pooling2d';
import { globalMaxPooling1d } from './global-max-pooling1d';
import { globalMaxPooling2d } from './global-max-pooling2d';
import { gru } from './gru';
import { input } from './input';
import { layerNormalization } from './layer-normalization';
import { leakyRelu } from './leaky-relu';
import { lstm } from './lstm';
import { masking } from './masking';
import { maxPooling1d } from './max-pooling1d';
import { maxPooling2d } from './max-pooling2d';
import { maxPooling3d } from './max-pooling3d';
import { maximum } from './maximum';
import { minimum } from './minimum';
import { multiply } from './multiply';
import { permute } from './permute';
import { prelu } from './prelu';
import { relu } from './relu';
import { repeatVector } from './repeat-vector';
import { rescaling } from './rescaling';
import { reshape } from './reshape';
import { separableConv2d } from './separable-conv2d';
import { simpleRnn } from './simple-rnn';
import { softmax } from './softmax';
import { spatialDropout1d } from './spatial-dropout1d';
import { thresholdedRelu } from './thresholded-relu';
import { timeDistributedConv2d } from './time-distributed-conv2d';
import { timeDistributedDense } from './time-distributed-dense';
import { timeDistributedMaxPooling2d } from './time-distributed-max-pooling2d';
import { upSampling2d } from './up-sampling2d';
import { zeroPadding2d } from './zero-padding2d';

/** In toolbox order within each category. */
export const LAYERS: readonly LayerDefinition[] = [
  input,
  dense,
  activation,
  embedding,
  masking,
  conv2d,
  conv1d,
  conv3d,
  separableConv2d,
  depthwiseConv2d,
  conv2dTranspose,
  conv3dTranspose,
  maxPooling2d,
  averagePooling2d,
  maxPooling1d,
  averagePooling1d,
  maxPooling3d,
  averagePooling3d,
  globalMaxPooling1d,
  globalAveragePooling1d,
  globalMaxPooling2d,
  globalAveragePooling2d,
  simpleRnn,
  lstm,
  gru,
  bidirectionalLstm,
  bidirectionalGru,
  bidirectionalSimpleRnn,
  convLstm2d,
  timeDistributedDense,
  timeDistributedConv2d,
  timeDistributedMaxPooling2d,
  flatten,
  reshape,
  permute,
  repeatVector,
  cropping2d,
  upSampling2d,
  zeroPadding2d,
  batchNormalization,
  layerNormalization,
  dropout,
  spatialDropout1d,
  gaussianNoise,
  gaussianDropout,
  alphaDropout,
  relu,
  leakyRelu,
  prelu,
  elu,
  thresholdedRelu,
  softmax,
  add,
  multiply,
  average,
  maximum,
  minimum,
  concatenate,
  dot,
  rescaling,
  categoryEncoding,
];

const byKey = new Map(LAYERS.map((layer) => [layer.key, layer]));

/** The catalogue entry for a spec layer type, or undefined when Layerbook doesn't know it. */
export function getLayer(key: string): LayerDefinition | undefined {
  return byKey.get(key);
}

export { CATEGORIES, MODEL_COLOUR } from './categories';
export { ACTIVATIONS, CONSTRAINTS, DATA_FORMATS, INITIALIZER_FORMS, INITIALIZERS, INTERPOLATIONS, PADDINGS, REGULARIZERS, type InitializerForm } from './enums';
export {
  CUSTOM_INITIALIZER,
  CUSTOM_INITIALIZER_LABEL,
  INITIALIZER_RECIPES,
  describeInitializer,
  initializerProblem,
  initializerRecipe,
  isInitializerArg,
  recipeSettings,
  type InitializerRecipe,
  type InitializerSetting,
} from './initializers';
export type { MergeRule, WrapperRule } from './define';
export { splitWrapperArgs } from './define';
export type { ArgDefinition, IntOrPair, LayerDefinition, ResolvedArgs, Shape, Dim } from './define';
