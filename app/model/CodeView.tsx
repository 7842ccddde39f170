'use client';

import Editor, { loader, type OnMount } from '@monaco-editor/react';
import { useEffect, useRef, useState } from 'react';
// The slim editor plus JavaScript colouring only: the full package would add ~10 MB of
// language services a read-only view never uses.
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/languages/definitions/javascript/register';
// Colouring for the Keras and PyTorch tabs; again only the grammar, no language service.
import 'monaco-editor/languages/definitions/python/register';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

if (typeof window !== 'undefined' && !window.MonacoEnvironment) {
  window.MonacoEnvironment = {
    // Bundled from node_modules, so nothing is fetched from a CDN and no worker URL can 404.
    getWorker: () => new Worker(new URL('monaco-editor/editor/editor.worker.js', import.meta.url), { type: 'module' }),
  };
}
// Without this, @monaco-editor/react downloads Monaco from a CDN — impossible in a school without internet.
loader.config({ monaco: monaco as unknown as Parameters<typeof loader.config>[0]['monaco'] });

/** Below this width the code sits under the blocks, so it only needs the height of its lines. */
const STACKED_QUERY = '(max-width: 860px)';
const MIN_STACKED_HEIGHT = 160;

/** The code the blocks compile to; read-only, because the blocks are the source. */
export default function CodeView({
  code,
  height,
  language = 'javascript',
  label = 'TensorFlow.js code',
}: {
  code: string;
  height: number;
  language?: 'javascript' | 'python';
  label?: string;
}) {
  const [fitHeight, setFitHeight] = useState<number | null>(null);
  const [mounted, setMounted] = useState(false);
  const editorRef = useRef<Parameters<OnMount>[0] | null>(null);

  useEffect(() => {
    const query = window.matchMedia(STACKED_QUERY);
    const update = () => {
      const editor = editorRef.current;
      setFitHeight(query.matches && editor ? Math.max(MIN_STACKED_HEIGHT, Math.min(height, editor.getContentHeight())) : null);
    };
    query.addEventListener('change', update);
    const sub = editorRef.current?.onDidContentSizeChange(update);
    update();
    return () => {
      query.removeEventListener('change', update);
      sub?.dispose();
    };
  }, [height, mounted]);

  return (
    <Editor
      height={fitHeight ?? height}
      onMount={(editor) => {
        editorRef.current = editor;
        setMounted(true);
      }}
      language={language}
      value={code}
      theme="vs"
      loading={<pre className="code-fallback">{code}</pre>}
      options={{
        readOnly: true,
        domReadOnly: true,
        ariaLabel: `${label} (read-only)`,
        minimap: { enabled: false },
        scrollBeyondLastLine: false,
        fontSize: 13,
        lineHeight: 20,
        lineNumbersMinChars: 3,
        folding: false,
        renderLineHighlight: 'none',
        contextmenu: false,
        automaticLayout: true,
        wordWrap: 'on',
        padding: { top: 10, bottom: 10 },
        scrollbar: { alwaysConsumeMouseWheel: false },
        overviewRulerLanes: 0,
        tabSize: 2,
      }}
    />
  );
}
