/**
 * Prints plain values as JavaScript source. Everything a generator prints from a spec goes
 * through here, so text typed into a block can never break out of its string literal.
 */
export function jsLiteral(value: unknown): string {
  if (value instanceof JsCode) return value.code;
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Object.is(value, -0) ? '0' : String(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return jsString(value);
  if (Array.isArray(value)) return `[${value.map(jsLiteral).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${jsKey(k)}: ${jsLiteral(v)}`);
    return `{${entries.join(', ')}}`;
  }
  return 'undefined';
}

/** Code a generator wrote itself (from values printed by jsLiteral), put into a literal as it is. */
export class JsCode {
  constructor(readonly code: string) {}
}

/** Single-quoted, as TF.js examples are written; JSON escaping covers control characters. */
export function jsString(text: string): string {
  const inner = JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'");
  return `'${inner}'`;
}

function jsKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : jsString(key);
}

/** Text safe to put after `//`: one line, no way to end the comment early. */
export function commentText(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}
