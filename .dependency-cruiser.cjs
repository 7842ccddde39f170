/**
 * Import boundaries (DESIGN.md's layering), checked by `npm run lint:boundaries`, which
 * `npm test` runs. Folders from the bottom up: blocks/ (the block language, shared by
 * browser and server) ← db/ ← server/ ← bin/; app/ (the pages) talks to the server over
 * the API and may borrow its types only. Arrows never run back up, and nothing imports in
 * a circle.
 *
 * scripts/check-boundaries.mjs runs these rules (it explains why not `depcruise` itself) and
 * adds one dependency-cruiser has no rule for (no-folder-circles): the folders of blocks/, of
 * server/ and of app/ never import each other around a loop.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'blocks-stay-portable',
      comment:
        'blocks/ runs in the browser and on the server alike: no Blockly, React, Next or TF.js, ' +
        'and nothing from app/ or server/. Only blocks/blockly/ (the editor glue) may use Blockly. ' +
        'Tests may reach across (e.g. running generated code in TF.js).',
      severity: 'error',
      from: { path: '^blocks/', pathNot: ['^blocks/blockly/', '\\.test\\.'] },
      to: { path: ['^(node_modules/)?(blockly|react|react-dom|next|@tensorflow)(/|$)', '^(app|server|db|bin)/', '^blocks/blockly/'] },
    },
    {
      name: 'format-is-the-floor',
      comment:
        'blocks/format/ (what is saved: spec types, schemas, migrations) is what every other folder builds on, ' +
        'so it imports nothing of theirs; translators and checks live beside it, not in it.',
      severity: 'error',
      from: { path: '^blocks/format/', pathNot: '\\.test\\.' },
      to: { path: '^(blocks/(?!format/)|app/|server/|db/|bin/)' },
    },
    {
      name: 'app-reaches-server-over-the-api',
      comment: 'Pages use server/ and db/ for their types only; everything else goes through tRPC.',
      severity: 'error',
      from: { path: '^app/' },
      to: { path: '^(server|db|bin)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'app-without-tfjs',
      comment:
        'TF.js stays out of the pages\' first load: app/ may only import() it, which makes a chunk of its own ' +
        'loaded when used ("Try your model" in app/training/trained-model.ts).',
      severity: 'error',
      from: { path: '^app/' },
      to: { path: '^(node_modules/)?@tensorflow/', dependencyTypesNot: ['type-only', 'dynamic-import'] },
    },
    {
      name: 'db-below-server',
      comment: 'db/ (schema, migrations, connections) is used by server/ and never uses it.',
      severity: 'error',
      from: { path: '^db/' },
      to: { path: '^(server|app|bin)/' },
    },
    {
      name: 'server-below-bin-and-app',
      comment: 'server/ is used by the command line (bin/) and the pages (app/), never the other way.',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^(app|bin)/' },
    },
    {
      name: 'test-helpers-stay-in-tests',
      comment: 'testing/ (fakes, test databases, test pictures) is for tests and benchmarks; the app never ships it.',
      severity: 'error',
      from: { path: '^(app|blocks|db|server|bin)/', pathNot: '\\.test\\.' },
      to: { path: '^testing/' },
    },
    {
      name: 'no-circular',
      comment: 'Modules that import each other, directly or around a loop: move what both need into a module of its own.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(\\.next|public)/' },
    moduleSystems: ['es6', 'cjs'],
    tsPreCompilationDeps: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
