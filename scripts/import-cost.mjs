// What importing the package costs: for each entry point (default: the package and its subpaths),
// how many modules load (the package's own and its dependencies') and how long `await import()` takes
// (median of --runs fresh processes). Needs `npm run build`. Usage:
//   node scripts/import-cost.mjs [--runs 7] [specifier ...]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const recorder = fileURLToPath(new URL('./load-recorder.mjs', import.meta.url));
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 7;
const specifiers =
  args.length > 0
    ? args
    : ['wandb-experiment-tracker', 'wandb-experiment-tracker/dashboard', 'wandb-experiment-tracker/agent', 'wandb-experiment-tracker/sync'];

/** Loads `specifier` in a fresh process (from the package root, so the package's own name resolves). */
function loadOnce(specifier, record) {
  const code = [
    "import { createRequire } from 'node:module';",
    'const t0 = performance.now();',
    `await import(${JSON.stringify(specifier)});`,
    'const ms = performance.now() - t0;',
    "const cjs = Object.keys(createRequire(process.cwd() + '/').cache);",
    'process.stdout.write(JSON.stringify({ ms, cjs }));',
  ].join('\n');
  const dir = record ? mkdtempSync(join(tmpdir(), 'import-cost-')) : undefined;
  const file = dir === undefined ? undefined : join(dir, 'loaded.txt');
  try {
    const child = spawnSync(process.execPath, [...(record ? ['--import', recorder] : []), '--input-type=module', '-e', code], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, ...(file === undefined ? {} : { LOAD_RECORDER_FILE: file }) },
    });
    if (child.status !== 0) throw new Error(`importing ${specifier} failed: ${child.stderr}`);
    const { ms, cjs } = JSON.parse(child.stdout);
    const urls = new Set(cjs.map((p) => pathToFileURL(p).href));
    if (file !== undefined) {
      try {
        for (const url of readFileSync(file, 'utf8').split('\n')) if (url.startsWith('file:')) urls.add(url);
      } catch {
        // nothing recorded: no ES module loaded
      }
    }
    return { ms, urls: [...urls].sort() };
  } finally {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }
}

const own = pathToFileURL(join(root, 'dist', 'src')).href + '/';
const deps = pathToFileURL(join(root, 'node_modules')).href + '/';
console.log('entry point'.padEnd(40), 'own'.padStart(5), 'deps'.padStart(5), 'total'.padStart(6), 'median ms'.padStart(10));
for (const specifier of specifiers) {
  const { urls } = loadOnce(specifier, true);
  const times = Array.from({ length: runs }, () => loadOnce(specifier, false).ms).sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const ownCount = urls.filter((u) => u.startsWith(own)).length;
  const depCount = urls.filter((u) => u.startsWith(deps)).length;
  console.log(
    specifier.padEnd(40),
    String(ownCount).padStart(5),
    String(depCount).padStart(5),
    String(urls.length).padStart(6),
    median.toFixed(1).padStart(10),
  );
}
