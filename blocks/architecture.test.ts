import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layering DESIGN.md describes, checked on every test run (we have no linter in the
 * toolchain): the block language stays shareable between browser and server, and pages
 * reach the server only over the API.
 */
const root = path.resolve(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx)$/.test(entry.name))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}

function imports(file: string): { specifier: string; typeOnly: boolean }[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  const found: { specifier: string; typeOnly: boolean }[] = [];
  for (const match of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
    found.push({ specifier: match[3]!, typeOnly: Boolean(match[2]) });
  }
  for (const match of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ specifier: match[1]!, typeOnly: false });
  return found;
}

function resolvesInto(file: string, specifier: string, folder: string): boolean {
  if (!specifier.startsWith('.')) return false;
  const target = path.relative(root, path.resolve(path.dirname(path.join(root, file)), specifier));
  return target === folder || target.startsWith(`${folder}/`);
}

describe('module boundaries', () => {
  it('keeps blocks/ (outside blocks/blockly) free of UI, Blockly and TF.js', () => {
    const offenders = sourceFiles('blocks')
      // Tests may reach across (e.g. evaluating generated code with TF.js); shipped code may not.
      .filter((file) => !file.startsWith('blocks/blockly/') && !file.endsWith('.test.ts'))
      .flatMap((file) =>
        imports(file)
          .filter(({ specifier }) => /^(blockly|react|react-dom|next|@tensorflow\/)/.test(specifier) || resolvesInto(file, specifier, 'blocks/blockly') || resolvesInto(file, specifier, 'app') || resolvesInto(file, specifier, 'server'))
          .filter(({ typeOnly }) => !typeOnly)
          .map(({ specifier }) => `${file} imports ${specifier}`),
      );
    expect(offenders).toEqual([]);
  });

  it('lets app/ import only types from server/ and db/', () => {
    const offenders = sourceFiles('app').flatMap((file) =>
      imports(file)
        .filter(({ specifier, typeOnly }) => !typeOnly && (resolvesInto(file, specifier, 'server') || resolvesInto(file, specifier, 'db')))
        .map(({ specifier }) => `${file} imports ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  it('keeps TF.js out of app/ (the browser bundle stays light)', () => {
    const offenders = sourceFiles('app').flatMap((file) =>
      imports(file)
        .filter(({ specifier, typeOnly }) => !typeOnly && specifier.startsWith('@tensorflow/'))
        .map(({ specifier }) => `${file} imports ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });
});
