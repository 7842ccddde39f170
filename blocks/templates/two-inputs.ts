import { branchingWorkspace } from './branching';

/**
 * Two kinds of information about one thing (say a house: 8 measurements and 4 yes/no facts)
 * each get their own Dense block, are put side by side with Concatenate, and give one price.
 */
export function twoInputsWorkspace() {
  return branchingWorkspace('two', 'Two inputs', [
    { key: 'input', args: { shape: [8] } },
    { key: 'dense', args: { units: 16, activation: 'relu' } },
    { name: 'measurements' },
    { key: 'input', args: { shape: [4] } },
    { key: 'dense', args: { units: 8, activation: 'relu' } },
    { key: 'concatenate', with: ['measurements'] },
    { key: 'dense', args: { units: 1 } },
  ]);
}
