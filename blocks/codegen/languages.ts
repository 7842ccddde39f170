/**
 * The languages a model's code can be shown in, in one table so the command line and the
 * notebook's code tabs offer the same ones under the same names.
 */
import type { ModelSpec } from '../format/model-spec';
import { emitKeras } from './emit-keras';
import { emitPytorch } from './emit-pytorch';
import { emitTfjs, type EmitOptions } from './emit-tfjs';

export interface CodeLanguage {
  /** What `layerbook code --lang` takes. */
  id: string;
  label: string;
  /** Monaco language id for colouring. */
  monaco: 'javascript' | 'python';
  fileExtension: string;
  emit(spec: ModelSpec, options?: EmitOptions): string;
}

export const CODE_LANGUAGES: readonly CodeLanguage[] = [
  { id: 'tfjs', label: 'TensorFlow.js', monaco: 'javascript', fileExtension: 'js', emit: emitTfjs },
  { id: 'keras', label: 'Keras (Python)', monaco: 'python', fileExtension: 'py', emit: (spec) => emitKeras(spec) },
  { id: 'pytorch', label: 'PyTorch', monaco: 'python', fileExtension: 'py', emit: (spec) => emitPytorch(spec) },
];

export function getCodeLanguage(id: string): CodeLanguage | undefined {
  return CODE_LANGUAGES.find((l) => l.id === id);
}
