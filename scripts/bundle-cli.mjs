// Bundles the `wandb-skill` executable into one CommonJS file, so a one-call process loads one
// module instead of dozens (ESM resolution and per-module start-up dominate a short process), then
// makes V8's code cache for it from a representative call (see scripts/cli-loader.cjs). Native and
// heavy dependencies stay external and load only when an action needs them.
import { build } from 'esbuild';
import { copyFileSync, chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

/**
 * `await import('node:fs/promises')` (a built-in loaded only when used) becomes a lazy require: an
 * import() left in the bundle fails inside the loader's vm.Script on Node 20 ("A dynamic import
 * callback was not specified").
 */
const builtinImportsAsRequire = {
  name: 'builtin-imports-as-require',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, namespace: 'builtin-require' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'builtin-require' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

/**
 * ajv's one runtime helper the generated validators call (ucs2length, a few lines) is bundled: as an
 * external it costs every call a walk through node_modules and ajv's package.json. ajv itself stays out.
 */
const ajvRuntimeInBundle = {
  name: 'ajv-runtime-in-bundle',
  setup(b) {
    b.onResolve({ filter: /^ajv\/dist\/runtime\/ucs2length(\.js)?$/ }, () => ({
      path: createRequire(import.meta.url).resolve('ajv/dist/runtime/ucs2length.js'),
    }));
  },
};

/**
 * The generated W&B protobuf code and protobufjs (about 40% of the bundle) only serve `wandb-skill
 * import` and `export`: they live in their own file, wandb-proto.cjs, required when those run, so a
 * log call does not read them. Both the generated code and the modules that read records take
 * protobufjs from that one file (one copy: its Reader/Writer instances cross between them).
 */
const PROTO_CHUNK = './wandb-proto.cjs';
const protoInChunk = {
  name: 'proto-in-chunk',
  setup(b) {
    b.onResolve({ filter: /\/gen\/wandb-proto\.js$/ }, () => ({ path: 'wandb_internal', namespace: 'proto-chunk' }));
    b.onResolve({ filter: /^protobufjs\/minimal(\.js)?$/ }, () => ({ path: 'protobuf', namespace: 'proto-chunk' }));
    b.onResolve({ filter: /^\.\/wandb-proto\.cjs$/ }, () => ({ path: PROTO_CHUNK, external: true }));
    b.onLoad({ filter: /.*/, namespace: 'proto-chunk' }, (args) => ({
      contents:
        args.path === 'protobuf'
          ? `module.exports = require(${JSON.stringify(PROTO_CHUNK)}).protobuf;`
          : `module.exports = { wandb_internal: require(${JSON.stringify(PROTO_CHUNK)}).wandb_internal };`,
      loader: 'js',
    }));
  },
};

/**
 * esbuild's keepNames pins every function's name with a call at start-up (thousands on the log path,
 * about 1.5 ms of a one-call process). Only class names are observable (an error's constructor name
 * in pino's `type`), so only they are pinned: the project's top-level classes and better-sqlite3's
 * SqliteError (a function used as a class).
 */
const classNamesKept = {
  name: 'class-names-kept',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const names = [...text.matchAll(/^(?:export )?(?:abstract )?class (\w+)/gm)].map((m) => m[1]);
      const pins = names.map((n) => `\nObject.defineProperty(${n}, 'name', { value: '${n}', configurable: true });`).join('');
      return { contents: text + pins, loader: 'ts' };
    });
    b.onLoad({ filter: /better-sqlite3[\\/]lib[\\/]sqlite-error\.js$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8') + "\nObject.defineProperty(SqliteError, 'name', { value: 'SqliteError', configurable: true });\n",
      loader: 'js',
    }));
  },
};

rmSync('dist/bin', { recursive: true, force: true });
await build({
  stdin: {
    contents: "export { wandb_internal } from './src/wandb-files/gen/wandb-proto.js';\nexport { default as protobuf } from 'protobufjs/minimal.js';\n",
    resolveDir: process.cwd(),
    sourcefile: 'wandb-proto-chunk.js',
  },
  outfile: 'dist/bin/wandb-proto.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true,
  keepNames: true,
  logLevel: 'warning',
});
await build({
  entryPoints: ['src/cli/bin.ts'],
  outfile: 'dist/bin/wandb-skill-main.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  minify: true,
  keepNames: false, // see classNamesKept
  // better-sqlite3's JavaScript is bundled (a dozen small files resolved and compiled one by one
  // cost a one-call process several ms); its addon is loaded by path (src/store/db.ts) and `bindings`,
  // its fallback lookup for unusual installs, stays external.
  external: [
    'bindings',
    'pino',
    'ajv',
    'ajv-formats',
    'vega',
    'vega-lite',
    'vega-embed',
    'yaml',
    'graphql',
    'playwright-core',
    'image-size',
    'music-metadata',
    '@modelcontextprotocol/sdk',
  ],
  // import.meta.url (used to find the package root and to require pino lazily) in a CommonJS file
  define: { 'import.meta.url': '__wsImportMetaUrl' },
  banner: { js: "const __wsImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
  plugins: [builtinImportsAsRequire, ajvRuntimeInBundle, protoInChunk, classNamesKept],
});
// The loader compiles the file as it is: written here already as CommonJS's module function (the
// shebang line becomes its head, so line numbers and the source map hold), it saves the loader two
// copies of half a megabyte of source on every call.
{
  const main = 'dist/bin/wandb-skill-main.cjs';
  const text = readFileSync(main, 'utf8');
  const head = '(function (exports, require, module, __filename, __dirname) {';
  const mapAt = text.lastIndexOf('\n//# sourceMappingURL=');
  if (!text.startsWith('#!') || mapAt < 0) throw new Error(`${main}: expected a shebang line and a source map comment`);
  writeFileSync(main, head + text.slice(text.indexOf('\n'), mapAt) + '\n});' + text.slice(mapAt));
}
copyFileSync('scripts/cli-loader.cjs', 'dist/bin/wandb-skill.cjs');
chmodSync('dist/bin/wandb-skill.cjs', 0o755);

// The code cache: one init and one log, offline, in a scratch folder.
const dir = mkdtempSync(join(tmpdir(), 'wandb-skill-cache-'));
try {
  const env = { PATH: process.env.PATH ?? '', HOME: dir, WANDB_MODE: 'offline' };
  const run = (json, write) =>
    execFileSync(process.execPath, ['dist/bin/wandb-skill.cjs', json], {
      cwd: process.cwd(),
      env: { ...env, WANDB_DIR: dir, ...(write ? { WANDB_SKILL_WRITE_CODE_CACHE: '1' } : {}) },
    });
  const { runId } = JSON.parse(run('{"action":"init","project":"cache"}', false).toString());
  run(JSON.stringify({ action: 'log', project: 'cache', runId, logData: { metrics: { a: 1 } } }), true);
} catch (err) {
  console.warn(`warning: no code cache for the CLI (${err instanceof Error ? err.message : String(err)})`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
