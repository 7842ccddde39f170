#!/usr/bin/env node
// Runs dependency-cruiser with the rules in .dependency-cruiser.cjs over the project's sources.
//
// Why not plain `depcruise`: dependency-cruiser 18 reads TypeScript only through the
// `typescript` package's JavaScript API (versions 2–6) or @swc/core, and this project compiles
// with TypeScript 7, which has no such API; its command line also refuses Node 20. So this
// script reads each file's imports with oxc's TypeScript parser (rolldown, which vitest
// installs), writes a scratch mirror of the tree in which every file is just its imports, and
// lets dependency-cruiser's API resolve and check the mirror. The one thing a mirror cannot
// carry is which imports are type-only, so rules that say `dependencyTypesNot: ['type-only']`
// are checked against a second mirror without those imports. Once the toolchain allows it,
// this script can become `depcruise --config .dependency-cruiser.cjs <folders>`.
import { cruise } from 'dependency-cruiser';
import { parseSync } from 'rolldown/utils';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const project = path.resolve(import.meta.dirname, '..');
const config = createRequire(import.meta.url)(path.join(project, '.dependency-cruiser.cjs'));
// The tree to check: this project, or (for the checker's own test) a folder given as the argument.
const root = path.resolve(process.argv[2] ?? project);
const folders = ['app', 'bench', 'bin', 'blocks', 'db', 'e2e', 'scripts', 'server', 'testing'].filter((folder) => existsSync(path.join(root, folder)));

// Folders whose subfolders must not import each other around a loop (see folderLoops): in
// each, folders build on each other in one direction (server/queue on server/training, not back).
const FOLDER_SCOPE = /^(blocks|server|app)\//;
const sources = folders.flatMap(sourceFiles).map((file) => ({ file, imports: importsOf(file) }));
const byType = (rule) => JSON.stringify(rule).includes('"type-only"');
const checks = [
  { rules: config.forbidden.filter((rule) => !byType(rule)), keep: () => true },
  { rules: config.forbidden.filter(byType), keep: (imported) => !imported.typeOnly },
];

let broken = 0;
let modules = 0;
let graph = [];
for (const check of checks) {
  const { violations, cruised } = await cruiseMirror(check);
  if (check === checks[0]) graph = cruised;
  broken += violations.length;
  for (const violation of violations) {
    const steps = violation.cycle?.length ? [violation.from, ...violation.cycle.map((step) => step.name)] : [violation.from, violation.to];
    console.error(`${violation.rule.name}: ${steps.join(' → ')}`);
    console.error(`  ${config.forbidden.find((rule) => rule.name === violation.rule.name)?.comment ?? ''}`);
  }
}
for (const loop of folderLoops(graph, FOLDER_SCOPE)) {
  broken += 1;
  console.error(`no-folder-circles: ${loop.folders.join(' ⇄ ')} (${loop.examples.join('; ')})`);
  console.error('  Folders of blocks/, server/ and app/ build on each other in one direction; move what both sides need to the lower one.');
}
if (broken > 0) {
  console.error(`\n${broken} boundary problem${broken === 1 ? '' : 's'} (rules in .dependency-cruiser.cjs and this script).`);
  process.exitCode = 1;
} else {
  console.log(`Import boundaries hold (${modules} modules).`);
}

/**
 * dependency-cruiser finds circles between modules, not between folders, and `collapse`
 * only shapes its reports; so the folder check is done here on its resolved graph: within
 * the scope, the subfolders (and the files at its top) may not import each other around a loop.
 */
function folderLoops(cruised, scope) {
  const folderOf = (file) => file.split('/').slice(0, file.split('/').length > 2 ? 2 : undefined).join('/');
  const edges = new Map();
  for (const module of cruised) {
    if (!scope.test(module.source) || /\.test\./.test(module.source)) continue;
    for (const dependency of module.dependencies) {
      if (!scope.test(dependency.resolved)) continue;
      const from = folderOf(module.source);
      const to = folderOf(dependency.resolved);
      if (from === to) continue;
      if (!edges.has(from)) edges.set(from, new Map());
      if (!edges.get(from).has(to)) edges.get(from).set(to, `${module.source} → ${dependency.resolved}`);
    }
  }
  // Tarjan's strongly connected components: each one with two or more folders is a loop.
  const index = new Map();
  const low = new Map();
  const stack = [];
  const loops = [];
  const visit = (node) => {
    index.set(node, index.size);
    low.set(node, index.get(node));
    stack.push(node);
    for (const next of edges.get(node)?.keys() ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (stack.includes(next)) {
        low.set(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        component.push(member);
      } while (member !== node);
      if (component.length > 1) {
        const examples = component.flatMap((from) => component.filter((to) => edges.get(from)?.has(to)).map((to) => edges.get(from).get(to)));
        loops.push({ folders: component.sort(), examples });
      }
    }
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return loops;
}

async function cruiseMirror({ rules, keep }) {
  const mirror = mkdtempSync(path.join(tmpdir(), 'layerbook-boundaries-'));
  const previous = process.cwd();
  try {
    symlinkSync(path.join(project, 'node_modules'), path.join(mirror, 'node_modules'), 'dir');
    for (const { file, imports } of sources) {
      const lines = imports.filter(keep).map(({ specifier, dynamic }) => (dynamic ? `import(${JSON.stringify(specifier)});` : `import ${JSON.stringify(specifier)};`));
      mkdirSync(path.join(mirror, path.dirname(file)), { recursive: true });
      // dependency-cruiser reads only .js files here, so x.ts becomes x.ts.js (see `extensions`).
      writeFileSync(path.join(mirror, file.replace(/\.tsx?$/, '$&.js')), `${lines.join('\n')}\n`);
    }
    process.chdir(mirror);
    const options = {
      ...config.options,
      // node_modules is a link into the project: keep its packages named node_modules/<name>.
      preserveSymlinks: true,
      enhancedResolveOptions: { ...config.options.enhancedResolveOptions, extensions: ['.ts.js', '.tsx.js', '.js', '.mjs', '.cjs', '.json'] },
      ruleSet: { forbidden: rules },
      validate: true,
    };
    const result = await cruise(folders, options);
    modules = Math.max(modules, result.output.modules.filter((module) => !module.coreModule && !module.source.startsWith('node_modules')).length);
    const original = (name) => name.replace(/(\.tsx?)\.js$/, '$1');
    const violations = result.output.summary.violations
      .filter((violation) => violation.rule.severity === 'error')
      .map((violation) => ({ ...violation, from: original(violation.from), to: original(violation.to), cycle: violation.cycle?.map((step) => ({ name: original(step.name) })) }));
    const cruised = result.output.modules.map((module) => ({
      source: original(module.source),
      dependencies: module.dependencies.map((dependency) => ({ resolved: original(dependency.resolved) })),
    }));
    return { violations, cruised };
  } finally {
    process.chdir(previous);
    rmSync(mirror, { recursive: true, force: true });
  }
}

function sourceFiles(folder) {
  return readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx|js|mjs|cjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter((file) => !file.split('/').includes('node_modules'));
}

/** The modules a file imports or re-exports, statically or with import(), and whether only types. */
function importsOf(file) {
  const text = readFileSync(path.join(root, file), 'utf8');
  const { module, errors } = parseSync(file, text);
  if (errors.length > 0) throw new Error(`${file} does not parse: ${errors[0].message}`);
  const found = [];
  for (const declaration of module.staticImports) {
    const typeOnly = declaration.entries.length > 0 && declaration.entries.every((entry) => entry.isType);
    found.push({ specifier: declaration.moduleRequest.value, typeOnly, dynamic: false });
  }
  for (const declaration of module.staticExports) {
    for (const entry of declaration.entries) {
      if (entry.moduleRequest) found.push({ specifier: entry.moduleRequest.value, typeOnly: entry.isType, dynamic: false });
    }
  }
  for (const call of module.dynamicImports) {
    const literal = text.slice(call.moduleRequest.start, call.moduleRequest.end);
    if (/^(['"`])[^'"`$]*\1$/.test(literal)) found.push({ specifier: literal.slice(1, -1), typeOnly: false, dynamic: true });
  }
  for (const call of text.matchAll(/\brequire\(\s*(['"])([^'"]+)\1\s*\)/g)) found.push({ specifier: call[2], typeOnly: false, dynamic: false });
  return found;
}
