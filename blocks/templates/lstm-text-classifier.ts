import type { WorkspaceState } from '../format/block-types';
import { modelWorkspace } from './build';

/**
 * A sentiment classifier for texts given as 100 word numbers (a vocabulary of 10,000 words):
 * each word becomes 32 learned numbers, an LSTM reads them in order, and one sigmoid neuron
 * says "positive" or "negative" — the shape of Keras's IMDB LSTM example, made smaller.
 * 328,353 parameters.
 */
export function lstmTextClassifierWorkspace(): WorkspaceState {
  return modelWorkspace('lstm-text', 'LSTM text classifier', [
    { key: 'input', args: { shape: [100] } },
    { key: 'embedding', args: { inputDim: 10_000, outputDim: 32 } },
    { key: 'lstm', args: { units: 32 } },
    { key: 'dense', args: { units: 1, activation: 'sigmoid' } },
  ]);
}
