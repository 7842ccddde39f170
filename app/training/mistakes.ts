import { formatCount } from '../lib/count';
import { aClass, asGuess, formatShare, likeliest } from './prediction';

/**
 * "Where your model goes wrong": which checking examples a trained model answers wrongly, in
 * which order they are shown, and the words about them. Pure, so they are tested without a
 * browser or TF.js.
 */

/** How many wrong examples are shown at once. */
export const MISTAKES_SHOWN = 12;

export interface Mistake {
  /** The example's place among those the model was asked about. */
  index: number;
  trueClass: number;
  guessedClass: number;
  /** How sure the model was of its wrong answer, 0..1. */
  sureness: number;
}

/**
 * The examples whose likeliest class is not their true class, given the model's raw outputs
 * for all of them laid end to end (`classCount` per example, as predictBatch answers). The
 * surest mistakes come first: "99% sure it is a 9" teaches more than a coin toss between two
 * classes. Equally sure ones stay in the examples' order.
 */
export function findMistakes(outputs: ArrayLike<number>, classCount: number, trueClasses: readonly number[]): Mistake[] {
  const mistakes: Mistake[] = [];
  trueClasses.forEach((trueClass, index) => {
    const { probabilities } = asGuess(Array.prototype.slice.call(outputs, index * classCount, (index + 1) * classCount) as number[]);
    const guessedClass = likeliest(probabilities);
    if (guessedClass !== trueClass) mistakes.push({ index, trueClass, guessedClass, sureness: probabilities[guessedClass]! });
  });
  return mistakes.sort((a, b) => b.sureness - a.sureness || a.index - b.index);
}

/** The mistakes on examples of one true class (all of them for null), at most `max`. */
export function mistakesOfClass(mistakes: readonly Mistake[], trueClass: number | null, max = MISTAKES_SHOWN): Mistake[] {
  return mistakes.filter((m) => trueClass === null || m.trueClass === trueClass).slice(0, max);
}

/** "Really a 4 — your model said a 9 (71% sure)"; named classes in quotes ("Really “Sneaker” — …"). */
export function describeMistake(classes: readonly string[], mistake: Mistake): string {
  const name = (index: number) => aClass(classes[index] ?? `class ${index}`);
  return `Really ${name(mistake.trueClass)} — your model said ${name(mistake.guessedClass)} (${formatShare(mistake.sureness)} sure)`;
}

/** Which examples these are: the data's checking (validation) rows, or training rows when it keeps none (MNIST). */
export type ExampleSplit = 'validation' | 'train';

const examplesWord = (split: ExampleSplit, count: number) => `${split === 'validation' ? 'checking' : 'training'} ${count === 1 ? 'example' : 'examples'}`;

/** "Your model gets 23 of the 200 checking examples wrong (12%)." */
export function describeMistakeCount(wrong: number, total: number, split: ExampleSplit): string {
  return `Your model gets ${wrong} of the ${total} ${examplesWord(split, total)} wrong (${formatShare(total === 0 ? 0 : wrong / total)}).`;
}

/** Where the examples come from, so a student knows whether the model saw them while it learned. */
export function describeExamples(split: ExampleSplit, shown: number, splitSize: number, dataName: string): string {
  if (split === 'validation') {
    const which = shown < splitSize ? `${shown} of the ${formatCount(splitSize)} checking examples` : `all ${formatCount(splitSize)} checking examples`;
    return `These are ${which}, kept apart from training: your model never learned from them.`;
  }
  return `${dataName} keeps no checking examples apart, so these are ${shown} of its ${formatCount(splitSize)} training examples: ones your model learned from. It may get more wrong on pictures it never saw.`;
}

/** When the model gets every example right: said plainly, with why that may not last. */
export function noMistakesWords(total: number, split: ExampleSplit): string {
  const right = `Your model gets all ${total} ${examplesWord(split, total)} right.`;
  if (split === 'train') return `${right} It learned from them, though: on new examples it can still go wrong (the test accuracy above says how often).`;
  if (total < 50) return `${right} That is only ${total}, so its mistakes may just not be among them: the test accuracy above, on other examples, says more.`;
  return `${right} Well done! It can still go wrong on examples it has not seen: the test accuracy above says how often.`;
}

/** The choices of the "Really" filter: every class that has mistakes, with how many ("4 (3 wrong)"). */
export function classChoices(classes: readonly string[], mistakes: readonly Mistake[]): { classIndex: number; label: string }[] {
  return classes.flatMap((name, classIndex) => {
    const count = mistakes.filter((m) => m.trueClass === classIndex).length;
    return count > 0 ? [{ classIndex, label: `${name} (${count} wrong)` }] : [];
  });
}
