export { inferShapes } from './infer';
export { checkLimits } from './limits';
export { resolveArgs } from './validate-args';
