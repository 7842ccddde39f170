'use client';

import { useId, useMemo } from 'react';
import { LAYERS } from '../../blocks/catalog';
import type { Goal } from '../../blocks/format/goals';

/**
 * The goals of an assignment as a teacher ticks and types them: when making an assignment and
 * when changing the goals of one. Each kind of goal is one row; the typed figures stay text
 * until the form is sent, so a half-typed number is never rewritten under the teacher's cursor.
 */
export interface GoalChoices {
  accuracy: { on: boolean; percent: string };
  params: { on: boolean; max: string };
  layer: { on: boolean; key: string };
  epochs: { on: boolean; max: string };
}

export const DEFAULT_GOAL_CHOICES: GoalChoices = {
  accuracy: { on: false, percent: '90' },
  params: { on: false, max: '50000' },
  layer: { on: false, key: 'conv2d' },
  epochs: { on: false, max: '10' },
};

/** The rows for goals an assignment has, with the defaults for those it has not. */
export function choicesFromGoals(goals: readonly Goal[]): GoalChoices {
  const choices = structuredClone(DEFAULT_GOAL_CHOICES);
  for (const goal of goals) {
    if (goal.kind === 'testAccuracy') choices.accuracy = { on: true, percent: String(Math.round(goal.min * 1000) / 10) };
    if (goal.kind === 'maxParams') choices.params = { on: true, max: String(goal.max) };
    if (goal.kind === 'usesLayer') choices.layer = { on: true, key: goal.layer };
    if (goal.kind === 'maxEpochs') choices.epochs = { on: true, max: String(goal.max) };
  }
  return choices;
}

/** The goals ticked, or a sentence saying which figure to fix. */
export function goalsFromChoices(choices: GoalChoices): Goal[] | string {
  const list: Goal[] = [];
  const { accuracy, params, layer, epochs } = choices;
  if (accuracy.on) {
    const percent = Number(accuracy.percent);
    if (!Number.isFinite(percent) || percent <= 0 || percent > 100) return 'Type the test accuracy as a percentage between 1 and 100, such as 90.';
    list.push({ id: 'accuracy', kind: 'testAccuracy', min: percent / 100 });
  }
  if (params.on) {
    const max = Number(params.max);
    if (!Number.isInteger(max) || max < 1) return 'Type the most parameters as a whole number, such as 50000.';
    list.push({ id: 'parameters', kind: 'maxParams', max });
  }
  if (layer.on) list.push({ id: 'layer', kind: 'usesLayer', layer: layer.key });
  if (epochs.on) {
    const max = Number(epochs.max);
    if (!Number.isInteger(max) || max < 1 || max > 100) return 'Type the most epochs as a whole number from 1 to 100.';
    list.push({ id: 'epochs', kind: 'maxEpochs', max });
  }
  return list;
}

export function GoalFields({ value, onChange, hint }: { value: GoalChoices; onChange: (next: GoalChoices) => void; hint: string }) {
  const id = useId();
  const layers = useMemo(() => LAYERS.filter((l) => l.key !== 'input').map((l) => ({ key: l.key, label: l.label })), []);
  const { accuracy, params, layer, epochs } = value;
  return (
    <fieldset className="make-assignment__group">
      <legend>Goals</legend>
      <p className="hint">{hint}</p>
      <div className="goal-field">
        <input id={`${id}-acc-on`} type="checkbox" checked={accuracy.on} onChange={(e) => onChange({ ...value, accuracy: { ...accuracy, on: e.target.checked } })} />
        <label htmlFor={`${id}-acc-on`}>Test accuracy at least</label>
        <input aria-label="Test accuracy at least, in percent" inputMode="decimal" className="goal-field__number" value={accuracy.percent} disabled={!accuracy.on} onChange={(e) => onChange({ ...value, accuracy: { ...accuracy, percent: e.target.value } })} />
        <span>%</span>
      </div>
      <div className="goal-field">
        <input id={`${id}-params-on`} type="checkbox" checked={params.on} onChange={(e) => onChange({ ...value, params: { ...params, on: e.target.checked } })} />
        <label htmlFor={`${id}-params-on`}>At most</label>
        <input aria-label="At most this many parameters" inputMode="numeric" className="goal-field__number" value={params.max} disabled={!params.on} onChange={(e) => onChange({ ...value, params: { ...params, max: e.target.value } })} />
        <span>parameters</span>
      </div>
      <div className="goal-field">
        <input id={`${id}-layer-on`} type="checkbox" checked={layer.on} onChange={(e) => onChange({ ...value, layer: { ...layer, on: e.target.checked } })} />
        <label htmlFor={`${id}-layer-on`}>Uses a</label>
        <select aria-label="Layer the network must use" value={layer.key} disabled={!layer.on} onChange={(e) => onChange({ ...value, layer: { ...layer, key: e.target.value } })}>
          {layers.map((l) => (
            <option key={l.key} value={l.key}>{l.label}</option>
          ))}
        </select>
        <span>layer</span>
      </div>
      <div className="goal-field">
        <input id={`${id}-epochs-on`} type="checkbox" checked={epochs.on} onChange={(e) => onChange({ ...value, epochs: { ...epochs, on: e.target.checked } })} />
        <label htmlFor={`${id}-epochs-on`}>Trains in at most</label>
        <input aria-label="At most this many epochs" inputMode="numeric" className="goal-field__number" value={epochs.max} disabled={!epochs.on} onChange={(e) => onChange({ ...value, epochs: { ...epochs, max: e.target.value } })} />
        <span>epochs</span>
      </div>
    </fieldset>
  );
}
