import type { Dim } from '../catalog/define';
import { inputShapeMismatch, outputShapeMismatch, type DatasetShapeInfo } from '../format/datasets';
import type { Diagnostic } from '../format/diagnostic';
import type { ModelSpec } from '../format/model-spec';

/** What this check reads of a compile result (compile.ts's CompileResult has it). */
export interface CompiledShapes {
  spec: ModelSpec | null;
  layers: readonly { id: string; outputShape: Dim[] | null }[];
}

/**
 * Does the compiled model fit the dataset it will train on? The same words the trainer uses,
 * but as diagnostics on the Input block and the last layer, so the notebook can show them
 * before Train is pressed and the server can refuse a run that would fail at once.
 */
export function datasetFitDiagnostics(compiled: CompiledShapes, data: DatasetShapeInfo): Diagnostic[] {
  const spec = compiled.spec;
  if (!spec || spec.inputs.length !== 1 || spec.outputs.length !== 1) return [];
  const shapeOf = (id: string) => compiled.layers.find((l) => l.id === id)?.outputShape?.slice(1) ?? null;
  const diagnostics: Diagnostic[] = [];
  const inputShape = shapeOf(spec.inputs[0]!);
  const inputProblem = inputShape && inputShapeMismatch(inputShape, data);
  if (inputProblem) diagnostics.push({ blockId: spec.inputs[0]!, severity: 'error', code: 'input-does-not-fit-data', ...inputProblem });
  const outputShape = shapeOf(spec.outputs[0]!);
  const outputProblem = outputShape && outputShapeMismatch(outputShape, data);
  if (outputProblem) diagnostics.push({ blockId: spec.outputs[0]!, severity: 'error', code: 'output-does-not-fit-classes', ...outputProblem });
  return diagnostics;
}
