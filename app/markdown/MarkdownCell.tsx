'use client';

import { useEffect, useId, useMemo, useRef } from 'react';
import { renderMarkdown } from './render';

/** View mode shows the rendered, sanitised text; edit mode a plain textarea. */
export function MarkdownCellView(props: {
  source: string;
  editing: boolean;
  onEditingChange: (editing: boolean) => void;
  onChange: (source: string) => void;
}) {
  const html = useMemo(() => (props.editing ? '' : renderMarkdown(props.source)), [props.source, props.editing]);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const inputId = useId();

  useEffect(() => {
    if (props.editing) textareaRef.current?.focus();
  }, [props.editing]);

  if (props.editing) {
    return (
      <div className="markdown-editor">
        <label htmlFor={inputId} className="visually-hidden">Markdown source</label>
        <textarea
          id={inputId}
          ref={textareaRef}
          className="markdown-editor__input"
          value={props.source}
          rows={Math.min(24, Math.max(4, props.source.split('\n').length + 1))}
          spellCheck
          onChange={(event) => props.onChange(event.target.value)}
          onKeyDown={(event) => {
            // Shift+Enter renders, like running a cell in Jupyter.
            if (event.key === 'Enter' && event.shiftKey) {
              event.preventDefault();
              props.onEditingChange(false);
            }
          }}
        />
        <p className="hint">Markdown: <code># Heading</code>, <code>**bold**</code>, <code>- list</code>, <code>[link](https://…)</code>. Shift+Enter to finish.</p>
      </div>
    );
  }

  if (props.source.trim() === '') {
    return (
      <p className="markdown-empty" onDoubleClick={() => props.onEditingChange(true)}>
        Empty text cell. Choose “Edit” to write something.
      </p>
    );
  }
  return (
    <div
      className="markdown-body"
      onDoubleClick={() => props.onEditingChange(true)}
      // Safe: renderMarkdown sanitises to a fixed allow-list (see render.ts and its tests).
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
