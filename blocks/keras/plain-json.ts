/**
 * Copies parsed JSON into objects without a prototype, so that keys named `__proto__`,
 * `constructor` or `toString` in a file are plain keys like any other: they can't change how
 * the importer's objects behave, can't crash a lookup, and can't hide behind Object.prototype
 * (found in issue 8: `"__proto__": {}` in a layer config crashed the importer, and a
 * `constructor` setting vanished without a word). The copy is iterative and bounded, so a
 * deeply nested file can't overflow the stack.
 */

/** Deeper than any Keras file (a wrapped initializer inside a layer inside a model is ~8). */
export const MAX_JSON_DEPTH = 64;

export class JsonTooDeep extends Error {}

export function plainJson(value: unknown): unknown {
  if (!isContainer(value)) return value;
  const root = emptyLike(value);
  const stack: { from: object; to: Record<string, unknown> | unknown[]; depth: number }[] = [{ from: value, to: root, depth: 1 }];
  while (stack.length > 0) {
    const { from, to, depth } = stack.pop()!;
    if (depth > MAX_JSON_DEPTH) throw new JsonTooDeep(`nested more than ${MAX_JSON_DEPTH} levels deep`);
    const entries: [string | number, unknown][] = Array.isArray(from) ? from.map((v, i) => [i, v]) : Object.keys(from).map((k) => [k, (from as Record<string, unknown>)[k]]);
    for (const [key, child] of entries) {
      let copy = child;
      if (isContainer(child)) {
        copy = emptyLike(child);
        stack.push({ from: child, to: copy as Record<string, unknown> | unknown[], depth: depth + 1 });
      }
      // defineProperty, not assignment: assigning to "__proto__" would set the prototype.
      Object.defineProperty(to, key, { value: copy, enumerable: true, writable: true, configurable: true });
    }
  }
  return root;
}

/** Own keys only: `has(config, "constructor")` is false unless the file wrote that key. */
export function has(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function emptyLike(value: object): Record<string, unknown> | unknown[] {
  return Array.isArray(value) ? [] : (Object.create(null) as Record<string, unknown>);
}
