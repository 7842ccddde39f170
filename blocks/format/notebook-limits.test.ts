import { describe, expect, it } from 'vitest';
import { STARTER_TEMPLATES } from '../templates';
import { DEFAULT_NOTEBOOK_LIMITS, measure, notebookLimitProblem } from './notebook-limits';
import { newMarkdownCell, newModelCell } from './notebook';
import { newTrainingCell } from '../templates/training-cell';

describe('notebook limits', () => {
  it('leave every template, a training cell with every setting, and a long text at least 8 times inside each limit', () => {
    const cells = [
      ...STARTER_TEMPLATES.map((t) => newModelCell(t.key, t.workspace() as Record<string, unknown>)),
      newTrainingCell('t', 'm', { earlyStopping: true, validationSplit: 0.2, metrics: ['precision', 'recall', 'meanAbsoluteError', 'meanSquaredError'] }),
      newMarkdownCell('notes', 'A paragraph a student writes about their model. '.repeat(300)),
    ];
    for (const cell of cells) {
      const { depth, blocks } = measure(cell, Infinity);
      expect(depth * 8).toBeLessThanOrEqual(DEFAULT_NOTEBOOK_LIMITS.maxWorkspaceDepth);
      expect(blocks * 8).toBeLessThanOrEqual(DEFAULT_NOTEBOOK_LIMITS.maxWorkspaceBlocks);
      expect(JSON.stringify(cell).length * 8).toBeLessThanOrEqual(DEFAULT_NOTEBOOK_LIMITS.maxCellBytes);
    }
    expect(notebookLimitProblem(cells)).toBeNull();
  });

  it('walks a 100,000-level nesting without the stack, stopping just past the limit', () => {
    let deep: unknown = { type: 'layer_dense' };
    for (let i = 0; i < 100_000; i++) deep = { inputs: deep };
    expect(measure(deep, 300).depth).toBe(301);
    expect(notebookLimitProblem([{ id: 'x', type: 'training', workspace: deep }])).toMatch(/^Cell 1 \(a training cell\) has blocks nested more than 300 levels deep/);
  });

  it('counts bytes as stored (UTF-8), and names a cell of an unknown type plainly', () => {
    // 80,000 JavaScript characters, but 160,000 bytes in the database.
    const emoji = newMarkdownCell('e', '🧠'.repeat(40_000));
    expect(JSON.stringify(emoji).length).toBeLessThan(DEFAULT_NOTEBOOK_LIMITS.maxCellBytes);
    expect(notebookLimitProblem([emoji])).toBe('Cell 1 (a text cell) holds 157 KB; a cell may hold at most 128 KB. Delete blocks or text you do not use, or split it into two cells.');
    const limits = { ...DEFAULT_NOTEBOOK_LIMITS, maxCellBytes: 10 };
    expect(notebookLimitProblem([{ id: 'x', type: 'chart', data: 'x'.repeat(20) }], limits)).toMatch(/^Cell 1 \(a cell\) holds 55 bytes; a cell may hold at most 10 bytes\./);
  });

  it('leaves input that is not a list of cells to the schema, which explains it', () => {
    expect(notebookLimitProblem('cells')).toBeNull();
    expect(notebookLimitProblem([null, 3])).toBeNull();
  });
});
