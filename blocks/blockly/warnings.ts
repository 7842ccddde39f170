import type { Diagnostic } from '../format/diagnostic';

/** Our warnings get their own id so we never clear warnings other code put on a block. */
export const WARNING_ID = 'layerbook';

/** What applyDiagnostics needs of a workspace; Blockly.Workspace and WorkspaceSvg fit. */
export interface WarnableWorkspace {
  getAllBlocks(ordered: boolean): Array<{ id: string; setWarningText(text: string | null, id?: string): void }>;
}

/** Puts each diagnostic on its block as a warning (what was found + how to fix it); clears blocks that are fine now. */
export function applyDiagnostics(workspace: WarnableWorkspace, diagnostics: readonly Diagnostic[]): void {
  const texts = new Map<string, string[]>();
  for (const d of diagnostics) {
    if (d.blockId === null) continue;
    const list = texts.get(d.blockId) ?? [];
    list.push(warningText(d));
    texts.set(d.blockId, list);
  }
  for (const block of workspace.getAllBlocks(false)) {
    const list = texts.get(block.id);
    block.setWarningText(list ? list.join('\n\n') : null, WARNING_ID);
  }
}

export function warningText(d: Diagnostic): string {
  return `${d.message}\nHow to fix: ${d.fix}`;
}
