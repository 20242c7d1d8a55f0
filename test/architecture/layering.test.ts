// The layering rules of .dependency-cruiser.cjs fire when a forbidden import is added, and stay quiet on
// the allowed arrows. Each case writes a probe file into a small temporary tree laid out like src/ and
// cruises that tree with the project's own rule set (the real tree is checked by `npm run lint:deps`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { repoRoot, tempDir } from '../helpers/tmp.js';

interface Case {
  /** The probe file, its import, and the rule that must report it (undefined: an allowed arrow). */
  from: string;
  imports: string;
  rule?: string;
  /** An `import type`: the rules count those too (a type still ties the layers). */
  typeOnly?: boolean;
}

// Targets: small files the probes import; none imports anything, so the only edges are the probes'.
const TARGETS = [
  'src/actions/context.ts',
  'src/skill.ts',
  'src/store/index.ts',
  'src/wandb/index.ts',
  'src/online/replicate.ts',
  'src/http/transport.ts',
  'src/report/specs.ts',
  'src/dashboard/index.ts',
  'src/cli/main.ts',
  'src/agent/index.ts',
  'src/sync/index.ts',
  'src/mcp/index.ts',
  'src/runs/lifecycle.ts',
  'src/errors.ts',
];

const CASES: Case[] = [
  { from: 'src/store/__probe.ts', imports: '../actions/context.js', rule: 'lower-floors-never-call-up' },
  { from: 'src/runs/__probe.ts', imports: '../actions/context.js', rule: 'lower-floors-never-call-up' },
  { from: 'src/alerts/__probe-type.ts', imports: '../actions/context.js', rule: 'lower-floors-never-call-up', typeOnly: true },
  { from: 'src/sweep-runs/__probe.ts', imports: '../skill.js', rule: 'lower-floors-never-call-up' },
  { from: 'src/__probe.ts', imports: './actions/context.js', rule: 'lower-floors-never-call-up' },
  { from: 'src/json/__probe.ts', imports: '../actions/context.js', rule: 'lower-floors-never-call-up' },
  { from: 'src/store/__probe-net.ts', imports: '../wandb/index.js', rule: 'store-knows-no-network' },
  { from: 'src/store/__probe-http.ts', imports: '../http/transport.js', rule: 'store-knows-no-network' },
  { from: 'src/store/__probe-online.ts', imports: '../online/replicate.js', rule: 'store-knows-no-network' },
  { from: 'src/wandb/__probe.ts', imports: '../store/index.js', rule: 'wandb-knows-no-store' },
  { from: 'src/sweeps/__probe.ts', imports: '../store/index.js', rule: 'sweeps-are-pure' },
  { from: 'src/sweeps/__probe-fs.ts', imports: 'node:fs', rule: 'sweeps-are-pure' },
  { from: 'src/media/__probe.ts', imports: '../report/specs.js', rule: 'media-knows-no-rendering' },
  { from: 'src/report/__probe.ts', imports: '../dashboard/index.js', rule: 'library-knows-no-shell' },
  { from: 'src/report/__probe-up.ts', imports: '../actions/context.js', rule: 'lower-floors-never-call-up' },
  { from: 'src/actions/__probe.ts', imports: '../cli/main.js', rule: 'library-knows-no-shell' },
  { from: 'src/__probe-skill.ts', imports: './agent/index.js', rule: 'library-knows-no-shell' },
  { from: 'src/actions/__probe-sync.ts', imports: '../sync/index.js', rule: 'library-knows-no-shell' },
  { from: 'src/online/__probe.ts', imports: '../mcp/index.js', rule: 'library-knows-no-shell' },
  { from: 'src/dashboard/__probe.ts', imports: 'better-sqlite3', rule: 'sqlite-only-in-store' },
  // Allowed arrows: downward, and shells onto the library.
  { from: 'src/actions/__probe-ok.ts', imports: '../store/index.js' },
  { from: 'src/online/__probe-ok.ts', imports: '../wandb/index.js' },
  { from: 'src/runs/__probe-ok.ts', imports: '../store/index.js' },
  { from: 'src/cli/__probe-ok.ts', imports: '../dashboard/index.js' },
  { from: 'src/sync/__probe-ok.ts', imports: '../online/replicate.js' },
  { from: 'src/store/__probe-ok.ts', imports: 'better-sqlite3' },
  { from: 'src/store/__probe-errors.ts', imports: '../errors.js' },
];

/** Writes a tree of the given files under a fresh folder and returns the folder. */
function writeTree(dir: string, files: Record<string, string>): void {
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }));
  // better-sqlite3 resolves through the project's own node_modules, as it does in src/.
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** Cruises `dir/src` with the project's rule set and returns "rule from -> to" lines. */
async function violations(dir: string): Promise<string[]> {
  const options = await extractDepcruiseOptions(join(repoRoot, '.dependency-cruiser.cjs'));
  const previous = process.cwd();
  // The rule set and tsconfig paths are relative to the tree being cruised, as they are for `npm run lint:deps`.
  process.chdir(dir);
  try {
    const { output } = await cruise(['src'], { ...options, baseDir: dir, validate: true });
    const result = output as ICruiseResult;
    return result.summary.violations.map((v) => `${v.rule.name} ${v.from} -> ${v.to}`);
  } finally {
    process.chdir(previous);
  }
}

test('each layering rule reports a forbidden import added to a tree laid out like src/, and allowed arrows pass', async () => {
  const { dir, cleanup } = tempDir('wandb-skill-layers-');
  try {
    const files: Record<string, string> = {};
    for (const target of TARGETS) files[target] = 'export const x = 1;\n';
    for (const c of CASES)
      files[c.from] = c.typeOnly
        ? `import type * as probe from '${c.imports}';\nexport type Y = typeof probe;\n`
        : `import * as probe from '${c.imports}';\nexport const y = probe;\n`;
    writeTree(dir, files);
    const found = await violations(dir);
    for (const c of CASES) {
      const reported = found.filter((line) => line.split(' ')[1] === c.from);
      if (c.rule === undefined) assert.deepEqual(reported, [], `${c.from} -> ${c.imports} is allowed`);
      else
        assert.ok(
          reported.some((line) => line.startsWith(`${c.rule} `)),
          `${c.rule} should report ${c.from} -> ${c.imports}; got ${JSON.stringify(found)}`,
        );
    }
    // Nothing else is reported: each forbidden probe is caught by its rule (report -> actions by the upward rule alone).
    assert.equal(found.length, CASES.filter((c) => c.rule !== undefined).length, found.join('\n'));
  } finally {
    cleanup();
  }
});

test('a run-time import loop is reported; a loop closed only by `import type` is not', async () => {
  const { dir, cleanup } = tempDir('wandb-skill-loops-');
  try {
    writeTree(dir, {
      'src/store/migrations.ts': "import { A } from './alerts.js';\nexport type Migration = string;\nexport const all = [A];\n",
      'src/store/alerts.ts': "import type { Migration } from './migrations.js';\nexport const A: Migration = 'a';\n",
      'src/runs/a.ts': "import { b } from './b.js';\nexport const a = (): number => b() + 1;\n",
      'src/runs/b.ts': "import { a } from './a.js';\nexport const b = (): number => a() - 1;\n",
    });
    const found = await violations(dir);
    assert.ok(found.length > 0 && found.every((line) => line.startsWith('no-circular src/runs/')), found.join('\n'));
  } finally {
    cleanup();
  }
});
