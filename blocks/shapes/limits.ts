import { formatCount } from '../catalog/words';
import type { Diagnostic } from '../format/diagnostic';

export interface ModelLimits {
  maxParams: number;
}

/** A model too big to train on the shared server gets one error, with the number and the limit. */
export function checkLimits(totalParams: number, limits: ModelLimits, blockId: string | null = null): Diagnostic[] {
  if (totalParams <= limits.maxParams) return [];
  return [
    {
      blockId,
      severity: 'error',
      code: 'too-many-params',
      message: `This model has ${formatCount(totalParams)} parameters; the limit is ${formatCount(limits.maxParams)}.`,
      fix: 'Use fewer units or filters, or add pooling before Flatten.',
    },
  ];
}
