'use client';

import { useMemo, useState } from 'react';
import { LAYERS } from '../../blocks/catalog';
import { MAX_GOALS, type GoalKind } from '../../blocks/format/goals';
import { newGoalRow, type GoalRow } from './goal-rows';

/** The buttons that add a goal, one per kind: what they show and what they are called. */
const ADD_BUTTONS: { kind: GoalKind; text: string; name: string }[] = [
  { kind: 'testAccuracy', text: '+ Test accuracy', name: 'Add a test accuracy goal' },
  { kind: 'maxParams', text: '+ Parameter limit', name: 'Add a parameter limit' },
  { kind: 'usesLayer', text: '+ Layer to use', name: 'Add a layer to use' },
  { kind: 'maxEpochs', text: '+ Epoch limit', name: 'Add an epoch limit' },
];

/**
 * The goals of an assignment as a teacher sets them, when making an assignment and when
 * changing the goals of one: one row per goal (./goal-rows.ts), each removable, and a button
 * per kind to add one, so two goals of a kind are shown and kept.
 */
export function GoalFields({ value, onChange, hint }: { value: GoalRow[]; onChange: (next: GoalRow[]) => void; hint: string }) {
  const layers = useMemo(() => LAYERS.filter((l) => l.key !== 'input').map((l) => ({ key: l.key, label: l.label })), []);
  // A row just added gets the focus, so a keyboard user types its figure at once.
  const [added, setAdded] = useState<string | null>(null);
  const change = (index: number, figure: string) => onChange(value.map((row, i) => (i === index ? { ...row, figure } : row)));
  const full = value.length >= MAX_GOALS;
  return (
    <fieldset className="make-assignment__group">
      <legend>Goals</legend>
      <p className="hint">{hint}</p>
      {value.length === 0 ? (
        <p className="goal-fields__none">No goals: hand-ins are collected without being checked.</p>
      ) : (
        <ol className="goal-fields">
          {value.map((row, index) => (
            <li key={row.id} className="goal-field" role="group" aria-label={`Goal ${index + 1}`}>
              <span className="goal-field__figure">
                <GoalFigure row={row} layers={layers} focus={row.id === added} onChange={(figure) => change(index, figure)} />
              </span>
              <button type="button" className="button button--small goal-field__remove" aria-label={`Remove goal ${index + 1}`} onClick={() => onChange(value.filter((_, i) => i !== index))}>
                Remove
              </button>
            </li>
          ))}
        </ol>
      )}
      <div className="goal-fields__add" role="group" aria-label="Add a goal">
        {ADD_BUTTONS.map((button) => (
          <button
            key={button.kind}
            type="button"
            className="button button--small"
            aria-label={button.name}
            disabled={full}
            onClick={() => {
              const row = newGoalRow(value, button.kind);
              setAdded(row.id);
              onChange([...value, row]);
            }}
          >
            {button.text}
          </button>
        ))}
      </div>
      {full && <p className="hint">An assignment has at most {MAX_GOALS} goals; remove one to add another.</p>}
    </fieldset>
  );
}

/** One goal's words and the field for its figure; the field's name says what it asks for. */
function GoalFigure(props: { row: GoalRow; layers: { key: string; label: string }[]; focus: boolean; onChange: (figure: string) => void }) {
  const { row, focus } = props;
  const text = (label: string, inputMode: 'decimal' | 'numeric') => (
    <input aria-label={label} inputMode={inputMode} className="goal-field__number" value={row.figure} autoFocus={focus} onChange={(e) => props.onChange(e.target.value)} />
  );
  switch (row.kind) {
    case 'testAccuracy':
      return (
        <>
          <span className="goal-field__words">Test accuracy at least</span>
          {text('Test accuracy at least, in percent', 'decimal')}
          <span>%</span>
        </>
      );
    case 'maxParams':
      return (
        <>
          <span className="goal-field__words">At most</span>
          {text('At most this many parameters', 'numeric')}
          <span>parameters</span>
        </>
      );
    case 'usesLayer':
      return (
        <>
          <span className="goal-field__words">Uses a</span>
          <select aria-label="Layer the network must use" value={row.figure} autoFocus={focus} onChange={(e) => props.onChange(e.target.value)}>
            {/* A layer no longer in the catalogue stays as it was set, under its key. */}
            {!props.layers.some((l) => l.key === row.figure) && <option value={row.figure}>{row.figure}</option>}
            {props.layers.map((l) => (
              <option key={l.key} value={l.key}>
                {l.label}
              </option>
            ))}
          </select>
          <span>layer</span>
        </>
      );
    case 'maxEpochs':
      return (
        <>
          <span className="goal-field__words">Trains in at most</span>
          {text('At most this many epochs', 'numeric')}
          <span>epochs</span>
        </>
      );
  }
}
