'use client';

import { useRef, useState } from 'react';
import { exportKerasJson, importKerasJson } from '../../blocks/keras';
import { parseJson, readModelText } from '../../blocks/model-file';
import type { ModelSpec } from '../../blocks/format/model-spec';

/**
 * "Export Keras JSON" downloads what Keras's model_from_json (and TF.js's modelFromJSON)
 * reads; "Import Keras JSON" turns a model.to_json() file into blocks, after asking, since it
 * replaces the blocks of this cell.
 */
export function KerasFileButtons({ spec, onImport }: { spec: ModelSpec | null; onImport: (workspace: Record<string, unknown>) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [problems, setProblems] = useState<string[]>([]);

  const download = () => {
    if (!spec) return;
    const blob = new Blob([JSON.stringify(exportKerasJson(spec), null, 2)], { type: 'application/json' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `${spec.name.replace(/[^\w-]+/g, '_') || 'model'}.keras.json`;
    link.click();
    URL.revokeObjectURL(link.href);
  };

  const readFile = async (file: File) => {
    const text = await file.text();
    const parsed = parseJson(text);
    // readModelText words JSON and size problems; Keras files also need blocks made for them.
    const imported = 'value' in parsed && isObject(parsed.value) && 'class_name' in parsed.value ? importKerasJson(parsed.value) : null;
    const errors = (imported?.diagnostics ?? readModelText(text).diagnostics).filter((d) => d.severity === 'error');
    if (!imported || !imported.workspace || errors.length > 0) {
      setProblems(errors.length > 0 ? errors.map((d) => `${d.message} ${d.fix}`) : ['This file is not a Keras model (model.to_json()).']);
      return;
    }
    if (!window.confirm(`Replace the blocks of this cell with the model "${imported.spec?.name}" from ${file.name}?`)) return;
    setProblems(imported.diagnostics.map((d) => `${d.message} ${d.fix}`));
    onImport(imported.workspace as Record<string, unknown>);
  };

  return (
    <div className="keras-file">
      <button type="button" className="button button--small" onClick={download} disabled={!spec} title={spec ? undefined : 'Fix the problems in your model first'}>
        Export Keras JSON
      </button>
      <button type="button" className="button button--small" onClick={() => input.current?.click()}>
        Import Keras JSON
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        hidden
        aria-label="Keras JSON file to import"
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file) void readFile(file);
        }}
      />
      {problems.length > 0 && (
        <ul className="keras-file__problems" role="alert">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
