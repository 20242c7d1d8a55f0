// Bundles the `wandb-skill` executable into a few files, so a one-call process loads a handful of
// modules instead of dozens (ESM resolution and compilation dominate a short process's time).
// Heavy or native parts stay external and load only when an action needs them.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/bin.ts'],
  outdir: 'dist/bin',
  entryNames: 'wandb-skill',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  external: ['better-sqlite3', 'pino', 'vega', 'vega-lite', 'vega-embed', 'yaml', 'graphql', 'playwright-core'],
  // CommonJS dependencies bundled into ESM need a require()
  banner: { js: "import { createRequire as __wsCreateRequire } from 'node:module'; const require = __wsCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
