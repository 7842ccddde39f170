'use client';

import dynamic from 'next/dynamic';
import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { CODE_LANGUAGES, type CodeLanguage } from '../../blocks/codegen/languages';

const CodeView = dynamic(() => import('./CodeView'), {
  ssr: false,
  loading: () => <div className="editor-placeholder">Loading code view…</div>,
});

/**
 * A cell's code in each language Layerbook prints (TF.js, Keras, PyTorch), as tabs. `codeFor`
 * gives the text of a language: a model cell prints its spec (and says to fix the blocks first
 * while they have problems), a training cell its compile and fit calls.
 */
export function CodeTabs({ codeFor, height }: { codeFor: (language: CodeLanguage) => string; height: number }) {
  const [active, setActive] = useState(CODE_LANGUAGES[0]!.id);
  const [copied, setCopied] = useState(false);
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const baseId = useId();
  const language = CODE_LANGUAGES.find((l) => l.id === active) ?? CODE_LANGUAGES[0]!;
  const code = useMemo(() => codeFor(language), [language, codeFor]);

  // Arrow keys move between tabs, as the WAI-ARIA tabs pattern expects.
  const onKeyDown = (event: KeyboardEvent, index: number) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    const next = (index + step + CODE_LANGUAGES.length) % CODE_LANGUAGES.length;
    setActive(CODE_LANGUAGES[next]!.id);
    tabRefs.current[next]?.focus();
  };

  return (
    <div className="code-tabs">
      <div className="code-tabs__bar">
        <div role="tablist" aria-label="Code language" className="code-tabs__list">
          {CODE_LANGUAGES.map((l, i) => (
            <button
              key={l.id}
              ref={(el) => {
                tabRefs.current[i] = el;
              }}
              type="button"
              role="tab"
              id={`${baseId}-tab-${l.id}`}
              aria-selected={l.id === active}
              aria-controls={`${baseId}-panel`}
              tabIndex={l.id === active ? 0 : -1}
              className={`code-tabs__tab${l.id === active ? ' code-tabs__tab--active' : ''}`}
              onClick={() => setActive(l.id)}
              onKeyDown={(e) => onKeyDown(e, i)}
            >
              {l.label}
            </button>
          ))}
        </div>
        <button
          type="button"
          className="button button--small"
          onClick={async () => {
            await navigator.clipboard.writeText(code);
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          }}
        >
          {copied ? 'Copied!' : 'Copy code'}
        </button>
      </div>
      <div role="tabpanel" id={`${baseId}-panel`} aria-labelledby={`${baseId}-tab-${language.id}`} className="code-frame">
        <CodeView code={code} height={height} language={language.monaco} label={`${language.label} code`} />
      </div>
    </div>
  );
}
