'use client';

import type { CompiledLayer } from '../../blocks/compile';
import type { Diagnostic } from '../../blocks/format/diagnostic';
import { Icon } from '../components/Icons';
import { formatParams, formatShape } from './format';
import './diagnostics.css';

/** Layer → output shape → parameters, like Keras's model.summary(), plus problem markers. */
export function LayerTable(props: {
  layers: CompiledLayer[];
  totalParams: number;
  diagnostics: Diagnostic[];
}) {
  const problemsByBlock = new Map<string, Diagnostic['severity']>();
  for (const d of props.diagnostics) {
    if (d.blockId && problemsByBlock.get(d.blockId) !== 'error') problemsByBlock.set(d.blockId, d.severity);
  }
  if (props.layers.length === 0) {
    return <p className="hint">The layer table appears when the model block holds an Input block and some layers.</p>;
  }
  return (
    <div className="table-scroll">
      <table className="layer-table" aria-label="Layers, output shapes and parameters">
        <thead>
          <tr>
            <th scope="col">Layer</th>
            <th scope="col">Output shape</th>
            <th scope="col" className="num">Parameters</th>
          </tr>
        </thead>
        <tbody>
          {props.layers.map((layer) => {
            const problem = problemsByBlock.get(layer.id);
            return (
              <tr key={layer.id} className={problem ? `layer-table__row--${problem}` : undefined}>
                <th scope="row">
                  {problem && (
                    <span className={`marker marker--${problem}`} title={problem === 'error' ? 'Has a problem' : 'Has a warning'}>
                      <Icon name="alert" size={14} />
                      <span className="visually-hidden">{problem === 'error' ? 'Problem: ' : 'Warning: '}</span>
                    </span>
                  )}
                  {layer.label}
                </th>
                {/* The batch dimension (first) is the same for every layer, so it is left out. */}
                <td>{layer.outputShape ? formatShape(layer.outputShape.slice(1)) : '—'}</td>
                {/* After a layer that failed, sizes (and so parameter counts) are unknown, not zero. */}
                <td className="num">{layer.outputShape ? formatParams(layer.params) : '—'}</td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={2}>Total parameters</th>
            <td className="num">
              {props.layers.some((l) => !l.outputShape) ? `at least ${formatParams(props.totalParams)}` : formatParams(props.totalParams)}
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

export function DiagnosticsList({
  diagnostics,
  onSelect,
  onFix,
  okText = 'No problems found. This model is ready to train.',
}: {
  diagnostics: Diagnostic[];
  /** What to say when there is nothing to show. */
  okText?: string;
  onSelect?: (blockId: string) => void;
  /** Carries out d.quickFix on the blocks; the "Fix it" button shows only for diagnostics that have one. */
  onFix?: (d: Diagnostic) => void;
}) {
  if (diagnostics.length === 0) {
    return (
      <p className="diagnostics diagnostics--ok">
        <Icon name="check" /> {okText}
      </p>
    );
  }
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  return (
    <section className="diagnostics" aria-label="Problems">
      <h4 className="diagnostics__title">
        {[errors ? `${errors} ${errors === 1 ? 'problem' : 'problems'} to fix` : '', warnings ? `${warnings} ${warnings === 1 ? 'warning' : 'warnings'}` : '']
          .filter(Boolean)
          .join(', ')}
      </h4>
      <ul className="diagnostics__list">
        {diagnostics.map((d, index) => (
          <li key={`${d.blockId}-${d.code}-${index}`} className={`diagnostic diagnostic--${d.severity}`}>
            <span className="diagnostic__icon"><Icon name="alert" size={16} /></span>
            <div>
              <p className="diagnostic__message">
                <span className="visually-hidden">{d.severity === 'error' ? 'Problem: ' : 'Warning: '}</span>
                {d.message}
              </p>
              <p className="diagnostic__fix"><strong>How to fix:</strong> {d.fix}</p>
              <div className="diagnostic__actions">
                {d.quickFix && onFix && (
                  <button type="button" className="button button--small button--primary" onClick={() => onFix(d)}>
                    Fix it
                  </button>
                )}
                {d.blockId && onSelect && (
                  <button type="button" className="link-button" onClick={() => onSelect(d.blockId!)}>
                    Show the block
                  </button>
                )}
              </div>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
