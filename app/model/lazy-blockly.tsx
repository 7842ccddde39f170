'use client';

import dynamic from 'next/dynamic';

/**
 * Blockly only runs in the browser and is heavy, so cells load it after the page is up;
 * until then a placeholder of the workspace's height keeps the page from jumping.
 */
export function lazyBlocklyWorkspace(height: number) {
  return dynamic(() => import('./BlocklyWorkspace'), {
    ssr: false,
    loading: () => (
      <div className="editor-placeholder" style={{ height }}>
        Loading blocks…
      </div>
    ),
  });
}
