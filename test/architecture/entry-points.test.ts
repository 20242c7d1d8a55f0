// The package's entry points, loaded the way a consumer loads them (by the package's name, through its
// `exports` map): `.` loads the pipeline alone; the dashboard, the agent and sync have their own
// subpaths; CommonJS callers can require() every entry (Node >= 20.19 loads ES modules from require).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, tempDir } from '../helpers/tmp.js';

const NAME = 'wandb-experiment-tracker';

/** Imports `specifier` in a fresh process from the package root; returns its export names and every module URL loaded. */
function loadFresh(specifier: string): { exports: string[]; urls: string[] } {
  const { dir, cleanup } = tempDir('wandb-skill-entry-');
  try {
    const file = join(dir, 'loaded.txt');
    const code = [
      "import { createRequire } from 'node:module';",
      `const m = await import(${JSON.stringify(specifier)});`,
      "const cjs = Object.keys(createRequire(process.cwd() + '/').cache);",
      'process.stdout.write(JSON.stringify({ exports: Object.keys(m), cjs }));',
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', join(repoRoot, 'scripts', 'load-recorder.mjs'), '--input-type=module', '-e', code], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, LOAD_RECORDER_FILE: file },
    });
    assert.equal(child.status, 0, child.stderr);
    const { exports, cjs } = JSON.parse(child.stdout) as { exports: string[]; cjs: string[] };
    const esm = readFileSync(file, 'utf8')
      .split('\n')
      .filter((url) => url.startsWith('file:'));
    return { exports, urls: [...new Set([...esm, ...cjs.map((p) => pathToFileURL(p).href)])] };
  } finally {
    cleanup();
  }
}

const src = pathToFileURL(join(repoRoot, 'dist', 'src')).href;

test('importing the package loads the pipeline alone: no dashboard, agent, sync, MCP or CLI module', () => {
  const { exports, urls } = loadFresh(NAME);
  for (const name of ['executeSkill', 'createSkillRunner', 'createTracker', 'SkillError', 'openStore']) assert.ok(exports.includes(name), name);
  for (const name of ['startDashboard', 'runAgent', 'syncRuns']) assert.ok(!exports.includes(name), `${name} has moved to a subpath`);
  const own = urls.filter((url) => url.startsWith(`${src}/`));
  assert.ok(
    own.some((url) => url.endsWith('/skill.js')),
    'the pipeline is loaded',
  );
  const shells = own.filter((url) => /\/dist\/src\/(dashboard|agent|sync|mcp|cli)\/|\/dist\/src\/online\/sync\.js$/.test(url));
  assert.deepEqual(shells, []);
});

test('the dashboard, the agent, sync and the MCP server each have their own entry point', () => {
  assert.ok(loadFresh(`${NAME}/dashboard`).exports.includes('startDashboard'));
  assert.ok(loadFresh(`${NAME}/agent`).exports.includes('runAgent'));
  assert.ok(loadFresh(`${NAME}/sync`).exports.includes('syncRuns'));
  assert.ok(loadFresh(`${NAME}/mcp`).exports.includes('createMcpService'));
});

test('a CommonJS caller can require() and require.resolve() the package and its subpaths', () => {
  const { dir, cleanup } = tempDir('wandb-skill-cjs-');
  try {
    // A consumer's project: the package installed in its node_modules (here a link to this checkout).
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(repoRoot, join(dir, 'node_modules', NAME), 'dir');
    writeFileSync(
      join(dir, 'consumer.cjs'),
      [
        `const { executeSkill } = require('${NAME}');`,
        `const out = { executeSkill: typeof executeSkill, resolved: require.resolve('${NAME}') };`,
        `out.startDashboard = typeof require('${NAME}/dashboard').startDashboard;`,
        `out.runAgent = typeof require('${NAME}/agent').runAgent;`,
        `out.syncRuns = typeof require('${NAME}/sync').syncRuns;`,
        `out.createMcpService = typeof require('${NAME}/mcp').createMcpService;`,
        "executeSkill({ action: 'init', project: 'p', mode: 'disabled' }).then((o) => {",
        '  out.status = o.status;',
        '  process.stdout.write(JSON.stringify(out));',
        '});',
      ].join('\n'),
    );
    const child = spawnSync(process.execPath, [join(dir, 'consumer.cjs')], { cwd: dir, encoding: 'utf8' });
    assert.equal(child.status, 0, child.stderr);
    const out = JSON.parse(child.stdout) as Record<string, string>;
    assert.deepEqual(out, {
      executeSkill: 'function',
      resolved: join(realpathSync(repoRoot), 'dist', 'src', 'index.js'),
      startDashboard: 'function',
      runAgent: 'function',
      syncRuns: 'function',
      createMcpService: 'function',
      status: 'success',
    });
  } finally {
    cleanup();
  }
});
