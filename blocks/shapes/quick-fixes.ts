/**
 * One-click fixes: for problems whose "How to fix" is one mechanical change to the blocks,
 * attach that change as data (Diagnostic.quickFix). Kept in one place, keyed by diagnostic
 * code, so the checks that find problems stay free of editor concerns.
 */
import { getLayer } from '../catalog';
import type { Diagnostic, QuickFix } from '../format/diagnostic';
import type { ModelSpec } from '../format/model-spec';

export interface QuickFixContext {
  /** Shape of one example of the dataset the model trains on, for "set the Input shape". */
  datasetInputShape?: readonly number[];
}

/** The diagnostics again, each with a quickFix where one mechanical change fixes it. */
export function addQuickFixes(diagnostics: readonly Diagnostic[], spec: ModelSpec, context: QuickFixContext = {}): Diagnostic[] {
  return diagnostics.map((d) => {
    if (d.quickFix) return d;
    const quickFix = quickFixFor(d, spec, context);
    return quickFix ? { ...d, quickFix } : d;
  });
}

function quickFixFor(d: Diagnostic, spec: ModelSpec, context: QuickFixContext): QuickFix | null {
  if (d.blockId === null) return null;
  const node = spec.layers.find((l) => l.id === d.blockId);
  if (!node) return null;
  switch (d.code) {
    case 'needs-flat-input':
      return { kind: 'insertBefore', blockId: node.id, layer: 'flatten' };
    case 'kernel-too-big':
    case 'pool-too-big': {
      // "same" padding keeps at least one pixel whatever the window size; without a padding
      // setting (or with it already "same") the fix is a judgement call, so none is offered.
      const hasPadding = getLayer(node.type)?.args.some((a) => a.name === 'padding');
      return hasPadding && node.args.padding !== 'same' ? { kind: 'setField', blockId: node.id, field: 'padding', value: 'same' } : null;
    }
    case 'input-does-not-fit-data':
      return context.datasetInputShape && getLayer(node.type)?.isInput
        ? { kind: 'setInputShape', blockId: node.id, value: [...context.datasetInputShape] }
        : null;
    default:
      return null;
  }
}
