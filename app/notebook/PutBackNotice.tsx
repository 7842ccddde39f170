'use client';

import { useState } from 'react';
import { putBackWords, type PutBackCell } from '../../blocks/locked-cells';
import type { SaveState } from '../lib/autosave';

/**
 * Tells a student that cells the teacher locked meanwhile were put back as the teacher wrote
 * them, so the rest of their work saves again; their own words in a text cell stay at hand to
 * copy, and the notice stays until they close it.
 */
export function PutBackNotice(props: { putBack: readonly PutBackCell[]; saveState: SaveState; onClose: () => void }) {
  const { putBack, saveState } = props;
  const rest = saveState.status === 'saved' ? 'everything else you did is saved.' : 'everything else you did is kept and is being saved.';
  const blocks = putBack.filter((p) => p.mine.type !== 'markdown');
  return (
    <div role="status" aria-label="Cells put back" className="notice notice--warning put-back">
      <p>
        {putBackWords(putBack)}; {rest}
        {blocks.length > 0 && ` The blocks of ${blocks.map((p) => `cell ${p.index + 1}`).join(' and ')} are as your teacher made them.`}
      </p>
      {putBack.map((p) =>
        p.mine.type === 'markdown' && p.mine.source.trim() ? <MyText key={p.mine.id} position={p.index + 1} source={p.mine.source} /> : null,
      )}
      <button type="button" className="button button--small" aria-label="OK, close this message" onClick={props.onClose}>
        OK
      </button>
    </div>
  );
}

/** The student's own text of a put-back cell: shown on request, and copied for pasting into a cell of their own. */
function MyText(props: { position: number; source: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  return (
    <details className="put-back__mine">
      <summary>Your version of cell {props.position}</summary>
      <pre className="put-back__text">{props.source}</pre>
      <button
        type="button"
        className="button button--small"
        aria-label={`Copy my version of cell ${props.position}`}
        onClick={() =>
          navigator.clipboard.writeText(props.source).then(
            () => setCopied('yes'),
            () => setCopied('failed'),
          )
        }
      >
        Copy my version
      </button>
      {copied && <span className="put-back__copied">{copied === 'yes' ? ' Copied: paste it into a text cell of your own.' : ' Could not copy: select the text above instead.'}</span>}
    </details>
  );
}
