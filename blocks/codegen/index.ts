export { emitTfjs, type EmitOptions } from './emit-tfjs';
export { planTfjsModel, type TfjsInput, type TfjsLayerCall, type TfjsModelPlan } from './tfjs-plan';
