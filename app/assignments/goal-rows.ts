import type { Goal, GoalKind } from '../../blocks/format/goals';

/**
 * The goals of an assignment as a teacher edits them: one row per goal, in order, so an
 * assignment with two goals of a kind (two layers it must use) keeps both. The typed figure
 * stays text until the form is sent, so a half-typed number is never rewritten under the
 * teacher's cursor. A row keeps its goal's id: results stored on hand-ins are keyed by it.
 */
export interface GoalRow {
  id: string;
  kind: GoalKind;
  /** The percentage, the most parameters or epochs, or the layer's catalogue key, as typed or picked. */
  figure: string;
}

/** Each kind of goal: the id its first goal gets (the ids goals always had) and the figure a new row starts with. */
const KINDS: Record<GoalKind, { id: string; figure: string }> = {
  testAccuracy: { id: 'accuracy', figure: '90' },
  maxParams: { id: 'parameters', figure: '50000' },
  usesLayer: { id: 'layer', figure: 'conv2d' },
  maxEpochs: { id: 'epochs', figure: '10' },
};

export function rowsFromGoals(goals: readonly Goal[]): GoalRow[] {
  return goals.map((goal) => {
    switch (goal.kind) {
      case 'testAccuracy':
        return { id: goal.id, kind: goal.kind, figure: String(Math.round(goal.min * 1000) / 10) };
      case 'maxParams':
      case 'maxEpochs':
        return { id: goal.id, kind: goal.kind, figure: String(goal.max) };
      case 'usesLayer':
        return { id: goal.id, kind: goal.kind, figure: goal.layer };
    }
  });
}

/** A new row of a kind, with an id none of the rows has ("layer", then "layer-2"…). */
export function newGoalRow(rows: readonly GoalRow[], kind: GoalKind): GoalRow {
  const taken = new Set(rows.map((r) => r.id));
  const base = KINDS[kind].id;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return { id, kind, figure: KINDS[kind].figure };
}

/** The goals of the rows, in order, or a sentence saying which goal's figure to fix. */
export function goalsFromRows(rows: readonly GoalRow[]): Goal[] | string {
  const goals: Goal[] = [];
  for (const [index, row] of rows.entries()) {
    const which = `Goal ${index + 1}`;
    const number = Number(row.figure.trim());
    switch (row.kind) {
      case 'testAccuracy':
        if (!Number.isFinite(number) || number <= 0 || number > 100) return `${which}: type the test accuracy as a percentage between 1 and 100, such as 90.`;
        goals.push({ id: row.id, kind: row.kind, min: number / 100 });
        break;
      case 'maxParams':
        if (!Number.isInteger(number) || number < 1) return `${which}: type the most parameters as a whole number, such as 50000.`;
        goals.push({ id: row.id, kind: row.kind, max: number });
        break;
      case 'usesLayer':
        goals.push({ id: row.id, kind: row.kind, layer: row.figure });
        break;
      case 'maxEpochs':
        if (!Number.isInteger(number) || number < 1 || number > 100) return `${which}: type the most epochs as a whole number from 1 to 100.`;
        goals.push({ id: row.id, kind: row.kind, max: number });
        break;
    }
  }
  return goals;
}
