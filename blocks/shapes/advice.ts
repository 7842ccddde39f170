/**
 * "Runs but learns badly": combinations of model and training settings that train without an
 * error yet learn poorly or not at all. adviseTraining's are warnings, never errors: training
 * still starts, but the student sees why the accuracy may stay low. lossFitProblems adds the
 * one loss that cannot train on the data at all.
 */
import { getLayer } from '../catalog';
import type { Diagnostic } from '../format/diagnostic';
import { lossesForClassCount, type LayerNode, type ModelSpec, type TrainingSpec } from '../format/model-spec';

export interface AdviceContext {
  /** How many classes the dataset's labels have (10 for MNIST); unknown when left out. */
  classCount?: number;
  /** The training cell's loss block, where advice fixed by another loss goes; the model's last block without it. */
  lossBlockId?: string | null;
}

/** What adviseTraining reads of a compiled layer (CompiledLayer fits). */
export interface AdvisedLayer {
  id: string;
  outputShape: (number | null)[] | null;
}

/**
 * Advice goes on the block to change: the model's last layer (shown in the model cell) or the
 * loss block (shown in the training cell).
 */
export interface TrainingAdvice {
  model: Diagnostic[];
  training: Diagnostic[];
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
): TrainingAdvice {
  const advice: TrainingAdvice = { model: [], training: [] };
  // Advice is about a single output; models with several outputs are beyond it.
  if (spec.outputs.length !== 1) return advice;
  const output = spec.layers.find((l) => l.id === spec.outputs[0]);
  if (!output) return advice;
  const onModel = (code: string, message: string, fix: string) => advice.model.push({ blockId: output.id, severity: 'warning', code, message, fix });
  const onLoss = (code: string, message: string, fix: string) =>
    advice.training.push({ blockId: context.lossBlockId === undefined ? output.id : context.lossBlockId, severity: 'warning', code, message, fix });
  const activation = outputActivation(output);
  const loss = LOSS_NAMES[training.loss];
  const units = lastDimension(layers.find((l) => l.id === output.id)?.outputShape);
  const classes = context.classCount;

  if (activation === 'softmax' && training.loss === 'binaryCrossentropy') {
    const message = `The model's last layer uses softmax, but the loss is ${loss}. Softmax makes all outputs add up to 1, which fights a loss that scores each output as its own yes/no.`;
    if (units === 1) onModel('softmax-with-binary-loss', message.replace("The model's last layer", 'This last layer'), 'Change the activation of this block to sigmoid (one yes/no output).');
    else onLoss('softmax-with-binary-loss', message, "Pick categorical crossentropy in this loss block, or change the model's last activation to sigmoid.");
  } else if (activation === 'linear' && CLASSIFICATION_LOSSES.has(training.loss)) {
    onModel(
      'no-output-activation',
      `This last layer has no activation, but the loss ${loss} expects ${training.loss === 'binaryCrossentropy' ? 'numbers between 0 and 1' : 'probabilities that add up to 1'}. The model will train, but learn badly.`,
      training.loss === 'binaryCrossentropy' ? 'Set the activation of this block to sigmoid.' : 'Set the activation of this block to softmax.',
    );
  }

  if (classes !== undefined && units !== null && training.loss !== 'meanSquaredError' && units !== classes && !(units === 1 && classes === 2)) {
    onModel(
      'output-units-not-classes',
      `This last layer gives ${units} ${units === 1 ? 'number' : 'numbers'}, but the data has ${classes} classes, so it can't give one score per class.`,
      `Set units to ${classes} on this block.`,
    );
  }
  return advice;
}

/**
 * A loss that does not fit the dataset's labels. Binary crossentropy on more than two classes
 * cannot train at all (the trainer refuses it), so it is an error; mean squared error trains,
 * but learns classes badly, so it is a warning. Independent of the model, so the training cell
 * shows it even before its model compiles.
 */
export function lossFitProblems(loss: TrainingSpec['loss'], data: { classCount: number; name: string; classNoun: string }, blockId: string | null): Diagnostic[] {
  if (!lossesForClassCount(data.classCount).includes(loss)) {
    return [
      {
        blockId,
        severity: 'error',
        code: 'loss-does-not-fit-labels',
        message: `Binary crossentropy is for choosing between two ${data.classNoun}, but ${data.name} has ${data.classCount}.`,
        fix: 'Pick categorical crossentropy in the loss block.',
      },
    ];
  }
  if (loss === 'meanSquaredError') {
    return [
      {
        blockId,
        severity: 'warning',
        code: 'loss-does-not-fit-labels',
        message: `Mean squared error is for predicting amounts, but ${data.name} has ${data.classCount} ${data.classNoun} to choose from, so the model learns slowly and its answers are hard to read.`,
        fix: 'Pick categorical crossentropy in the loss block.',
      },
    ];
  }
  return [];
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
