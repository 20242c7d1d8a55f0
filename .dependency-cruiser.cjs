// The layering of ARCHITECTURE.md (and of DESIGN.md section 3 / whiteboard.json's "never" arrows),
// checked by `npm run lint:deps`. Arrows run downward only:
//   shells (cli, dashboard, agent, mcp, sync) -> face (index.ts, tracker.ts) -> pipeline (skill.ts, runner/)
//   -> actions -> (runs, sweep-runs, online, media, alerts, report, artifacts) -> (store, wandb, sweeps)
//   -> foundation (errors, json, contract, http, settings, services, liveness, paths, ...).
// Type-only imports count (tsPreCompilationDeps): a lower folder that names ActionContext in a type
// depends on the action layer as much as one that calls into it.
// src/wandb-files/ (offline .wandb import/export) sits beside the pipeline, which it calls; src/demo/ is a program.
// test/architecture/layering.test.ts adds a probe import per rule to a small tree and checks that each rule fires.

/** Folders and files between the actions and the foundation, and the foundation itself. */
const MIDDLE = '^src/(runs|sweep-runs|online|media|alerts|report|artifacts|history|query)/';
const LOWER = '^src/(store|wandb|sweeps)/';
// Root-level src/*.ts files are foundation, except the face and the pipeline.
const FOUNDATION = ['^src/(json|contract|http)/', '^src/(?!(index|tracker|skill)\\.ts$)[^/]+\\.ts$'];
/** The actions and what sits above them (the pipeline, its runner, the face): nothing below may import these. */
const ACTIONS_AND_ABOVE = '^src/(actions/|runner/|skill\\.ts$|tracker\\.ts$|index\\.ts$)';
const SHELLS = '^src/(cli|dashboard|agent|mcp|sync)/';
/** Node built-ins that do I/O; search code uses none of them. */
const IO_BUILTINS = '^(node:)?(fs|fs/promises|child_process|net|http|https|http2|tls|dgram|worker_threads)$';
const NETWORK_BUILTINS = '^(node:)?(net|http|https|http2|tls|dgram)$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'lower-floors-never-call-up',
      comment:
        'Nothing below src/actions imports the actions, the pipeline or the face: lower folders take Services ' +
        '(src/services.ts) or narrower arguments (a Store, Settings, a clock), never the ActionContext.',
      severity: 'error',
      from: { path: [MIDDLE, LOWER, ...FOUNDATION] },
      to: { path: ACTIONS_AND_ABOVE },
    },
    {
      name: 'store-knows-no-network',
      comment: 'src/store is SQLite only: no W&B client, no replication, no HTTP transport.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: ['^src/(wandb|online|http)/', NETWORK_BUILTINS] },
    },
    {
      name: 'wandb-knows-no-store',
      comment: 'The W&B protocol client speaks HTTP only; what to replicate is decided in src/online.',
      severity: 'error',
      from: { path: '^src/wandb/' },
      to: { path: '^src/(store|online)/' },
    },
    {
      name: 'sweeps-are-pure',
      comment: 'Search code (src/sweeps) is pure and seeded: no store, no network, no file or process I/O.',
      severity: 'error',
      from: { path: '^src/sweeps/' },
      to: { path: ['^src/(store|wandb|online|http)/', IO_BUILTINS] },
    },
    {
      name: 'media-knows-no-rendering',
      comment: 'Media values become W&B descriptors and files; rendering them (src/report) sits elsewhere.',
      severity: 'error',
      from: { path: '^src/media/' },
      to: { path: '^src/report/' },
    },
    {
      name: 'library-knows-no-shell',
      comment:
        'The library (pipeline, actions and everything below, the typed facade included) knows no shell: ' +
        'no CLI, no dashboard server, no sweep agent, no MCP server, no sync command. Reports render without a server.',
      severity: 'error',
      from: { path: '^src/', pathNot: [SHELLS, '^src/index\\.ts$', '^src/demo/'] },
      to: { path: SHELLS },
    },
    {
      name: 'sqlite-only-in-store',
      comment: 'Only src/store opens SQLite; everything else goes through the Store interface (SQL lives in src/store only).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/store/' },
      to: { path: ['(^|/)node_modules/(@types/)?better-sqlite3/', '^better-sqlite3(/|$)'] },
    },
    {
      name: 'no-circular',
      comment:
        'No import loops at run time: a loop means two modules are one idea, or one sits on the wrong floor. ' +
        'A loop closed only by `import type` (a family file naming the Migration type of the file that lists ' +
        'the families) loads nothing and is allowed; across folders the layering rules above still catch it.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, dependencyTypesNot: ['type-only'], viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Generated at build time (src/wandb-files/gen/ is ignored by git).
    exclude: { path: '^src/wandb-files/gen/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
