'use client';

import { useId, useState } from 'react';
import { STARTER_TEMPLATES, workspaceHasBlocks, type StarterTemplate } from '../../blocks/templates';
import { ConfirmDialog } from '../components/ConfirmDialog';
import './template-menu.css';

/**
 * "Start from a template": a list of well-known networks. Loading one replaces the blocks of
 * the cell, so when there are blocks the student confirms first.
 */
export function TemplateMenu(props: { currentWorkspace: () => unknown; onLoad: (workspace: Record<string, unknown>) => void }) {
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState<StarterTemplate | null>(null);
  const listId = useId();

  const load = (template: StarterTemplate) => {
    setOpen(false);
    setPending(null);
    props.onLoad(template.workspace() as Record<string, unknown>);
  };

  return (
    <div className="template-menu">
      <button
        type="button"
        className="button button--small"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen((o) => !o)}
      >
        Start from a template
      </button>
      {open && (
        <ul id={listId} className="template-menu__list" aria-label="Templates">
          {STARTER_TEMPLATES.map((template) => (
            <li key={template.key}>
              <button
                type="button"
                className="template-menu__item"
                onClick={() => (workspaceHasBlocks(props.currentWorkspace()) ? setPending(template) : load(template))}
              >
                <span className="template-menu__title">{template.title}</span>
                <span className="template-menu__description">{template.description}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={pending !== null}
        title="Replace your blocks?"
        confirmLabel="Replace blocks"
        cancelLabel="Keep my blocks"
        danger
        onConfirm={() => pending && load(pending)}
        onCancel={() => setPending(null)}
      >
        <p>
          Loading “{pending?.title}” removes the blocks in this cell and puts the template’s blocks there instead. This
          can’t be undone.
        </p>
      </ConfirmDialog>
    </div>
  );
}
