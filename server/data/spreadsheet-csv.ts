/**
 * The one way Layerbook writes CSV for people to open in a spreadsheet (grades, dataset
 * downloads). Students type column names, class names and notebook titles, so any text may
 * start a formula: Excel and LibreOffice run `=cmd|' /C calc'!A0` or `@SUM(1+1)` when the
 * file is opened. Text is stored as typed; it is neutralised here, on the way out.
 */

/** What a spreadsheet reads as the start of a formula (OWASP's list: = + - @, tab, carriage return). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number cannot be a formula; "-1.5" must stay a number in the spreadsheet. */
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export type SpreadsheetValue = string | number | boolean | null | undefined;

/**
 * One cell, safe to open: text that would start a formula gets a leading `'` (shown as
 * text, never run), and every cell is quoted with its quotes doubled, so commas, quotes and
 * line breaks inside it cannot start a new cell where the `'` would not reach.
 */
export function toSpreadsheetCell(value: SpreadsheetValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
  return `"${text.replaceAll('"', '""')}"`;
}

/** A whole CSV file: a header row and data rows, CRLF line ends as RFC 4180 and Excel expect. */
export function toSpreadsheetCsv(header: readonly SpreadsheetValue[], rows: Iterable<readonly SpreadsheetValue[]>): string {
  const lines = [header.map(toSpreadsheetCell).join(',')];
  for (const row of rows) lines.push(row.map(toSpreadsheetCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
