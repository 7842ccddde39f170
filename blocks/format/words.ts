/** Lists in the words of a sentence, for messages the server sends and the pages show alike. */

/** "7B", "7A and 7B", "7A, 7B and 7C". */
export function listInWords(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
