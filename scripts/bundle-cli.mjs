// Bundles the `wandb-skill` executable into CommonJS files, so a one-call process loads a few
// modules instead of dozens (ESM resolution and per-module start-up dominate a short process), then
// makes V8's code cache for them from representative calls (see scripts/cli-loader.cjs). Native and
// heavy dependencies stay external and load only when an action needs them.
//
// Two files hold the project's code: wandb-skill-main.cjs, what the calls an agent makes most (init,
// log, finish) need, and wandb-skill-cold.cjs, everything else (the other actions, the subcommands,
// online replication, media ...), required only when a call reaches it. Every module is in exactly
// one of them: the cold file takes the modules it shares with the main one from it (one SkillError
// class, so instanceof holds, and one copy of every other module).
import { build } from 'esbuild';
import { copyFileSync, chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ajvRuntimeInBundle, builtinImportsAsRequire, classNamesKept, protoInChunk } from './bundle-plugins.mjs';

/** The actions whose code goes in the main file, beside everything the executable imports statically. */
const HOT_ACTIONS = ['src/actions/init.ts', 'src/actions/log.ts', 'src/actions/finish.ts'];
const MAIN_FILE = 'wandb-skill-main.cjs';
const COLD_FILE = 'wandb-skill-cold.cjs';

/** A metafile's name for a resolved file (relative to the project, forward slashes). */
const keyOf = (path) => relative(process.cwd(), path).split('\\').join('/');
/** Modules made by a plugin (`builtin-require:node:fs/promises`, `proto-chunk:...`): small shims, left where they are imported. */
const isVirtual = (key) => /^[a-z-]+:/.test(key);

/** The two files require each other by these names (the loader hands them over; see cli-loader.cjs). */
const chunkFilesExternal = {
  name: 'chunk-files-external',
  setup(b) {
    b.onResolve({ filter: /^\.\/wandb-skill-(main|cold)\.cjs$/ }, (args) => ({ path: args.path, external: true }));
  },
};

/** Resolves an import as esbuild would without the calling plugin: the metafile key of the file, or undefined. */
async function resolvedKey(b, args) {
  const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { inner: true } });
  if (r.errors.length > 0 || r.external || r.namespace !== 'file') return undefined;
  return keyOf(r.path);
}

const common = {
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
  // import.meta.url (used to find the package root and to require pino lazily) in a CommonJS file.
  // The first line is a comment: the loader's module function head takes its place (see below).
  define: { 'import.meta.url': '__wsImportMetaUrl' },
  banner: { js: "// wandb-skill: built by scripts/bundle-cli.mjs\nconst __wsImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
};
const plugins = [chunkFilesExternal, builtinImportsAsRequire, ajvRuntimeInBundle, protoInChunk, classNamesKept];

// The module graph of the executable, to split: the main file holds what the executable and the hot
// actions import statically; a dynamic import from there of anything else is a cold entry.
const graph = (
  await build({ ...common, entryPoints: ['src/cli/bin.ts'], outfile: 'dist/bin/graph.cjs', write: false, metafile: true, sourcemap: false, plugins })
).metafile.inputs;
const hot = new Set();
for (const stack = ['src/cli/bin.ts', ...HOT_ACTIONS]; stack.length > 0;) {
  const key = stack.pop();
  if (hot.has(key)) continue;
  if (graph[key] === undefined) throw new Error(`bundle-cli: ${key} is not in the executable's module graph`);
  hot.add(key);
  for (const i of graph[key].imports) if (!i.external && i.kind !== 'dynamic-import') stack.push(i.path);
}
const coldEntries = new Set();
const shared = new Set();
for (const [key, input] of Object.entries(graph)) {
  for (const i of input.imports) {
    if (i.external || isVirtual(i.path)) continue;
    if (hot.has(key) && i.kind === 'dynamic-import' && !hot.has(i.path)) coldEntries.add(i.path);
    if (!hot.has(key) && !isVirtual(key) && hot.has(i.path)) shared.add(i.path);
  }
}
const sharedIndex = new Map([...shared].sort().map((key, i) => [key, i]));

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

// What the cold file takes from each shared module: an ES-module build of the cold entries with the
// shared modules left out lists the names it imports from each ('*' for a whole namespace).
const sharedOut = {
  name: 'shared-out',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.kind === 'entry-point' || args.pluginData?.inner) return undefined;
      const key = await resolvedKey(b, args);
      return key !== undefined && hot.has(key) ? { path: key, external: true } : undefined;
    });
  },
};
const probe = await build({
  ...common,
  format: 'esm',
  minify: false,
  sourcemap: false,
  write: false,
  outfile: 'dist/bin/probe.mjs',
  stdin: { contents: [...coldEntries].map((key) => `import(${JSON.stringify(`./${key}`)});\n`).join(''), resolveDir: process.cwd(), loader: 'js' },
  plugins: [sharedOut, ...plugins],
});
const probeText = probe.outputFiles[0].text;
/** shared module key -> the names the cold file imports from it. */
const sharedNames = new Map();
const addNames = (key, names) => {
  if (!hot.has(key)) return;
  const set = sharedNames.get(key) ?? new Set();
  for (const n of names) set.add(n);
  sharedNames.set(key, set);
};
for (const m of probeText.matchAll(/\bimport\s*(?:([\w$]+)\s*,?\s*)?(?:\{([^}]*)\})?\s*from\s*"([^"]+)"/g)) {
  const named = (m[2] ?? '')
    .split(',')
    .map((n) => n.trim().split(/\s+as\s+/)[0])
    .filter((n) => n !== '');
  addNames(m[3], [...(m[1] !== undefined ? ['default'] : []), ...named]);
}
for (const m of probeText.matchAll(
  /\bimport\s*\*\s*as\s+[\w$]+\s+from\s*"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)|\brequire\(\s*"([^"]+)"\s*\)|\bexport\s*\*\s*from\s*"([^"]+)"/g,
)) {
  addNames(m[1] ?? m[2] ?? m[3] ?? m[4], ['*']);
}
for (const key of shared) if (!sharedNames.has(key)) throw new Error(`bundle-cli: found no import of ${key} in the cold entries`);

// The main file: the executable, and what the cold file takes from its modules, each shared module
// behind a function that requires it (so a module the main file loads lazily stays lazy until the
// cold file asks for it) and only with the names the cold file imports (the rest is tree-shaken).
// A dynamic import of a cold entry becomes the cold file's load(), which requires the module there.
const EXPOSE = 'wandb-skill-shared:';
const coldImports = {
  name: 'cold-imports',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.kind !== 'dynamic-import' || args.pluginData?.inner) return undefined;
      const key = await resolvedKey(b, args);
      if (key === undefined || hot.has(key)) return undefined;
      if (!coldEntries.has(key)) throw new Error(`bundle-cli: ${key} is imported dynamically but is no cold entry`);
      return { path: key, namespace: 'cold' };
    });
    b.onLoad({ filter: /.*/, namespace: 'cold' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(`./${COLD_FILE}`)}).load(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
    b.onResolve({ filter: new RegExp(`^${EXPOSE}`) }, (args) => ({ path: args.path.slice(EXPOSE.length), namespace: 'expose' }));
    b.onLoad({ filter: /.*/, namespace: 'expose' }, (args) => {
      const names = sharedNames.get(args.path);
      const from = JSON.stringify(`./${args.path}`);
      const cjs = graph[args.path].format === 'cjs';
      return {
        contents:
          names.has('*') || cjs ? (cjs ? `module.exports = require(${from});` : `export * from ${from};`) : `export { ${[...names].join(', ')} } from ${from};`,
        resolveDir: process.cwd(),
        loader: 'js',
      };
    });
  },
};
await build({
  ...common,
  stdin: {
    contents:
      "import './src/cli/bin.ts';\nexport const shared = [\n" +
      [...sharedIndex.keys()].map((key) => `  () => require(${JSON.stringify(EXPOSE + key)}),\n`).join('') +
      '];\n',
    resolveDir: process.cwd(),
    sourcefile: 'wandb-skill-main.js',
    loader: 'js',
  },
  outfile: `dist/bin/${MAIN_FILE}`,
  plugins: [coldImports, ...plugins],
});

// The cold file: load(key) requires one of its entries; a module of the main file is taken from there.
const sharedImports = {
  name: 'shared-imports',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.kind === 'entry-point' || args.pluginData?.inner) return undefined;
      const key = await resolvedKey(b, args);
      if (key === undefined || !hot.has(key)) return undefined;
      const index = sharedIndex.get(key);
      if (index === undefined) throw new Error(`bundle-cli: ${key} is in ${MAIN_FILE} but not shared with ${COLD_FILE}`);
      return { path: key, namespace: 'shared', pluginData: { index } };
    });
    b.onLoad({ filter: /.*/, namespace: 'shared' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(`./${MAIN_FILE}`)}).shared[${args.pluginData.index}]();`,
      loader: 'js',
    }));
  },
};
await build({
  ...common,
  stdin: {
    contents:
      'exports.load = (key) => {\n  switch (key) {\n' +
      [...coldEntries]
        .sort()
        .map((key) => `    case ${JSON.stringify(key)}:\n      return require(${JSON.stringify(`./${key}`)});\n`)
        .join('') +
      '    default:\n      throw new Error(`wandb-skill: no module ${key} in ' +
      COLD_FILE +
      '`);\n  }\n};\n',
    resolveDir: process.cwd(),
    sourcefile: 'wandb-skill-cold.js',
    loader: 'js',
  },
  outfile: `dist/bin/${COLD_FILE}`,
  plugins: [sharedImports, ...plugins],
});

// The loader compiles each file as it is: written here already as CommonJS's module function (the
// banner's comment line becomes its head, so line numbers and the source map hold), it saves the
// loader two copies of the source on every call. The files are ASCII (esbuild escapes the rest),
// which the loader relies on to read them as latin1.
for (const name of [MAIN_FILE, COLD_FILE]) {
  const file = `dist/bin/${name}`;
  const text = readFileSync(file, 'utf8');
  const head = '(function (exports, require, module, __filename, __dirname) {';
  const mapAt = text.lastIndexOf('\n//# sourceMappingURL=');
  if (!text.startsWith('// wandb-skill:') || mapAt < 0) throw new Error(`${file}: expected the banner's comment line and a source map comment`);
  if (/[^\x00-\x7f]/.test(text)) throw new Error(`${file}: expected ASCII only`);
  writeFileSync(file, head + text.slice(text.indexOf('\n'), mapAt) + '\n});' + text.slice(mapAt));
}
copyFileSync('scripts/cli-loader.cjs', 'dist/bin/wandb-skill.cjs');
chmodSync('dist/bin/wandb-skill.cjs', 0o755);

// The code caches: the main file's from one log (after an init), the cold file's from a query, offline, in a scratch folder.
const dir = mkdtempSync(join(tmpdir(), 'wandb-skill-cache-'));
try {
  const env = { PATH: process.env.PATH ?? '', HOME: dir, WANDB_MODE: 'offline' };
  const run = (json, write) =>
    execFileSync(process.execPath, ['dist/bin/wandb-skill.cjs', json], {
      cwd: process.cwd(),
      env: { ...env, WANDB_DIR: dir, ...(write !== undefined ? { WANDB_SKILL_WRITE_CODE_CACHE: write } : {}) },
    });
  const { runId } = JSON.parse(run('{"action":"init","project":"cache"}').toString());
  run(JSON.stringify({ action: 'log', project: 'cache', runId, logData: { metrics: { a: 1 } } }), MAIN_FILE);
  run(JSON.stringify({ action: 'query', project: 'cache', queryConfig: { kind: 'runs' } }), COLD_FILE);
} catch (err) {
  console.warn(`warning: no code cache for the CLI (${err instanceof Error ? err.message : String(err)})`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
