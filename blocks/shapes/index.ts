export { inferShapes, type InferOptions, type LayerTrace, type ShapeTrace } from './infer';
export { checkLimits, type ModelLimits } from './limits';
export { resolveArgs } from './validate-args';
