import { z } from 'zod';
import { DEFAULT_TRAINING, SPEC_VERSION, modelSpecSchema, trainingSpecSchema } from './model-spec';

/**
 * Persisted notebook content. Only what a person authored lives here; compile results,
 * queue positions and live progress are runtime state and never saved into a cell.
 */
const cellId = z.string().min(1).max(100);

export const markdownCellSchema = z.object({
  id: cellId,
  type: z.literal('markdown'),
  source: z.string().max(100_000),
});

export const modelCellSchema = z.object({
  id: cellId,
  type: z.literal('model'),
  /** Blockly's serialization JSON (Blockly.serialization.workspaces.save). */
  workspace: z.record(z.string(), z.unknown()),
  /** The spec compiled from `workspace` at save time, or null when it does not compile. */
  spec: modelSpecSchema.nullable(),
  training: trainingSpecSchema,
});

export const cellSchema = z.discriminatedUnion('type', [markdownCellSchema, modelCellSchema]);
export type MarkdownCell = z.infer<typeof markdownCellSchema>;
export type ModelCell = z.infer<typeof modelCellSchema>;
export type Cell = z.infer<typeof cellSchema>;
export type CellType = Cell['type'];

export const MAX_CELLS = 200;
export const cellsSchema = z.array(cellSchema).max(MAX_CELLS);

export const NOTEBOOK_FORMAT_VERSION = SPEC_VERSION;

export function newMarkdownCell(id: string, source = ''): MarkdownCell {
  return { id, type: 'markdown', source };
}

export function newModelCell(id: string, workspace: Record<string, unknown> = {}): ModelCell {
  return { id, type: 'model', workspace, spec: null, training: { ...DEFAULT_TRAINING } };
}
