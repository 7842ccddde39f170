const COUNT_FORMAT = new Intl.NumberFormat('en');

/** Counts the way people read them: "54,000 pictures", "25,664 parameters". */
export function formatCount(count: number): string {
  return COUNT_FORMAT.format(count);
}
