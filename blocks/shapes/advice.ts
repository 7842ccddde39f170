/**
 * "Runs but learns badly": combinations of model and training settings that train without an
 * error yet learn poorly or not at all. They are warnings, never errors: training still
 * starts, but the student sees why the accuracy may stay low.
 */
import { getLayer } from '../catalog';
import type { Diagnostic } from '../spec/diagnostic';
import type { LayerNode, ModelSpec, TrainingSpec } from '../spec/model-spec';

export interface AdviceContext {
  /** How many classes the dataset's labels have (10 for MNIST); unknown when left out. */
  classCount?: number;
}

/** What adviseTraining reads of a compiled layer (CompiledLayer fits). */
export interface AdvisedLayer {
  id: string;
  outputShape: (number | null)[] | null;
}

const CLASSIFICATION_LOSSES = new Set(['categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy']);

const LOSS_NAMES: Record<TrainingSpec['loss'], string> = {
  categoricalCrossentropy: 'categorical crossentropy',
  sparseCategoricalCrossentropy: 'sparse categorical crossentropy',
  binaryCrossentropy: 'binary crossentropy',
  meanSquaredError: 'mean squared error',
};

export function adviseTraining(
  spec: ModelSpec,
  layers: readonly AdvisedLayer[],
  training: Pick<TrainingSpec, 'loss'>,
  context: AdviceContext = {},
): Diagnostic[] {
  // Advice is about a single output; models with several outputs are beyond it.
  if (spec.outputs.length !== 1) return [];
  const output = spec.layers.find((l) => l.id === spec.outputs[0]);
  if (!output) return [];
  const advice: Diagnostic[] = [];
  const warn = (code: string, message: string, fix: string) => advice.push({ blockId: output.id, severity: 'warning', code, message, fix });
  const activation = outputActivation(output);
  const loss = LOSS_NAMES[training.loss];
  const units = lastDimension(layers.find((l) => l.id === output.id)?.outputShape);
  const classes = context.classCount;

  if (activation === 'softmax' && training.loss === 'binaryCrossentropy') {
    warn(
      'softmax-with-binary-loss',
      `This last layer uses softmax, but the loss is ${loss}. Softmax makes all outputs add up to 1, which fights a loss that scores each output as its own yes/no.`,
      units === 1
        ? 'Change the activation of this block to sigmoid (one yes/no output).'
        : 'Choose categorical crossentropy as the loss to pick one class, or change the activation of this block to sigmoid.',
    );
  } else if (activation === 'linear' && CLASSIFICATION_LOSSES.has(training.loss)) {
    warn(
      'no-output-activation',
      `This last layer has no activation, but the loss ${loss} expects ${training.loss === 'binaryCrossentropy' ? 'numbers between 0 and 1' : 'probabilities that add up to 1'}. The model will train, but learn badly.`,
      training.loss === 'binaryCrossentropy' ? 'Set the activation of this block to sigmoid.' : 'Set the activation of this block to softmax.',
    );
  }

  if (classes !== undefined && units !== null && training.loss !== 'meanSquaredError' && units !== classes && !(units === 1 && classes === 2)) {
    warn(
      'output-units-not-classes',
      `This last layer gives ${units} ${units === 1 ? 'number' : 'numbers'}, but the data has ${classes} classes, so it can't give one score per class.`,
      `Set units to ${classes} on this block.`,
    );
  }

  if (classes !== undefined && classes > 2 && training.loss === 'binaryCrossentropy') {
    warn(
      'loss-does-not-fit-labels',
      `The loss ${loss} is for yes/no answers, but the data has ${classes} classes to choose from.`,
      'Choose categorical crossentropy as the loss in the training settings.',
    );
  } else if (classes !== undefined && training.loss === 'meanSquaredError') {
    warn(
      'loss-does-not-fit-labels',
      `The loss mean squared error is for predicting amounts, but the data has ${classes} classes to choose from, so the model learns slowly and its answers are hard to read.`,
      'Choose categorical crossentropy as the loss in the training settings.',
    );
  }
  return advice;
}

/** The activation applied last: the block's own setting, or "linear" for blocks without one. */
function outputActivation(node: LayerNode): string {
  if (node.type === 'softmax') return 'softmax';
  const layer = getLayer(node.type);
  const arg = layer?.args.find((a) => a.name === 'activation');
  if (!arg) return 'linear';
  const value = node.args.activation ?? arg.default;
  return typeof value === 'string' ? value : 'linear';
}

function lastDimension(shape: readonly (number | null)[] | null | undefined): number | null {
  if (!shape || shape.length !== 2) return null;
  return shape[1] ?? null;
}
