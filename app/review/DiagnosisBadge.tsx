import type { Diagnosis } from './diagnosis';

const SYMBOL: Record<Diagnosis['kind'], string> = {
  'not-started': '○',
  'too-early': '…',
  'not-learning': '✕',
  overfits: '▲',
  'learning-well': '✓',
};

/** Words and a symbol, with colour only as a third hint. */
export function DiagnosisBadge({ diagnosis }: { diagnosis: Diagnosis }) {
  return (
    <span className={`diagnosis diagnosis--${diagnosis.kind}`} title={diagnosis.reason}>
      <span aria-hidden="true" className="diagnosis__symbol">{SYMBOL[diagnosis.kind]}</span>
      {diagnosis.label}
    </span>
  );
}
