'use client';

import { useId, type ReactNode } from 'react';
import type { CellType } from '../../blocks/format/notebook';
import { Icon } from '../components/Icons';

const KIND_LABELS: Record<CellType, string> = { markdown: 'Text', model: 'Model', data: 'Data', training: 'Training' };
const KIND_ICONS: Record<CellType, 'text' | 'blocks' | 'play'> = { markdown: 'text', model: 'blocks', data: 'text', training: 'play' };

/** The box around every cell: its kind, its position, and the move/delete toolbar. */
export function CellFrame(props: {
  index: number;
  count: number;
  kind: CellType;
  actions?: ReactNode;
  children: ReactNode;
  onMove: (by: -1 | 1) => void;
  onDelete: () => void;
  /** Locked by the teacher of an assignment: it can be read, run and moved, not changed or deleted. */
  locked?: boolean;
  /** The teacher's returned comments on this cell: shown first inside it, and named as its details. */
  feedback?: ReactNode;
}) {
  const kindLabel = KIND_LABELS[props.kind];
  const feedbackId = useId();
  return (
    <article
      className={`cell cell--${props.kind}${props.locked ? ' cell--locked' : ''}`}
      aria-label={`Cell ${props.index + 1}, ${props.kind}${props.locked ? ', locked' : ''}`}
      aria-details={props.feedback ? feedbackId : undefined}
    >
      <div className="cell__toolbar">
        <span className="cell__kind">
          <Icon name={KIND_ICONS[props.kind]} size={15} />
          {kindLabel}
          {props.locked && (
            <span className="cell__locked" title="Your teacher locked this cell: you can read and run it, but not change it.">
              Locked by your teacher
            </span>
          )}
        </span>
        <div className="cell__actions">
          {props.actions}
          <button
            type="button"
            className="icon-button"
            aria-label="Move cell up"
            title="Move cell up"
            disabled={props.index === 0}
            onClick={() => props.onMove(-1)}
          >
            <Icon name="up" />
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label="Move cell down"
            title="Move cell down"
            disabled={props.index === props.count - 1}
            onClick={() => props.onMove(1)}
          >
            <Icon name="down" />
          </button>
          {!props.locked && (
            <button
              type="button"
              className="icon-button icon-button--danger"
              aria-label="Delete cell"
              title="Delete cell"
              onClick={props.onDelete}
            >
              <Icon name="trash" />
            </button>
          )}
        </div>
      </div>
      {props.feedback && (
        <div id={feedbackId} className="cell__feedback">
          {props.feedback}
        </div>
      )}
      <div className="cell__body">{props.children}</div>
    </article>
  );
}

/** Buttons that add a cell at `index`; `between` is the slim variant shown between two cells. */
export function AddCellButtons(props: {
  index: number;
  between?: boolean;
  onAdd: (cellType: CellType, index: number) => void;
}) {
  if (props.between) {
    const where = `below cell ${props.index}`;
    return (
      <div className="cell-inserter" role="group" aria-label={`Insert a cell ${where}`}>
        <button type="button" className="chip-button" aria-label={`Insert markdown cell ${where}`} onClick={() => props.onAdd('markdown', props.index)}>
          <Icon name="plus" size={14} /> Text
        </button>
        <button type="button" className="chip-button" aria-label={`Insert data cell ${where}`} onClick={() => props.onAdd('data', props.index)}>
          <Icon name="plus" size={14} /> Data
        </button>
        <button type="button" className="chip-button" aria-label={`Insert model cell ${where}`} onClick={() => props.onAdd('model', props.index)}>
          <Icon name="plus" size={14} /> Model
        </button>
        <button type="button" className="chip-button" aria-label={`Insert training cell ${where}`} onClick={() => props.onAdd('training', props.index)}>
          <Icon name="plus" size={14} /> Training
        </button>
      </div>
    );
  }
  return (
    <div className="add-cells" role="group" aria-label="Add a cell at the end">
      <button type="button" className="button" onClick={() => props.onAdd('markdown', props.index)}>
        <Icon name="text" /> Add markdown cell
      </button>
      <button type="button" className="button" onClick={() => props.onAdd('data', props.index)}>
        <Icon name="text" /> Add data cell
      </button>
      <button type="button" className="button" onClick={() => props.onAdd('model', props.index)}>
        <Icon name="blocks" /> Add model cell
      </button>
      <button type="button" className="button" onClick={() => props.onAdd('training', props.index)}>
        <Icon name="play" /> Add training cell
      </button>
    </div>
  );
}
