import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIONS } from '../../src/actions/index.js';
import { createNetrcLookup, createSettingsResolver } from '../../src/settings-resolver.js';
import { createServices } from '../../src/services.js';
import { createRunnerResources } from '../../src/runner/resources.js';
import { tempDir } from '../helpers/tmp.js';

test('the dispatch table says which actions the pipeline replicates: init, log and finish', () => {
  const replicated = Object.entries(ACTIONS)
    .filter(([, e]) => e.replicated)
    .map(([name]) => name);
  assert.deepEqual(replicated.sort(), ['finish', 'init', 'log']);
});

test('.netrc is read once per base URL by a runner, not on every call', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  writeFileSync(join(dir, '.netrc'), 'machine api.wandb.ai\n  login user\n  password k1\nmachine other.example\n  password k2\n');
  const lookup = createNetrcLookup({ env: {}, homedir: dir });
  assert.equal(lookup({}), 'k1');
  rmSync(join(dir, '.netrc'));
  assert.equal(lookup({}), 'k1', 'remembered: the file is not read again');
  assert.equal(lookup({ WANDB_BASE_URL: 'https://other.example' }), undefined, 'another base URL is looked up (the file is gone now)');
  assert.equal(lookup({ WANDB_API_KEY: 'env-key' }), undefined, 'WANDB_API_KEY wins: .netrc is not consulted');
});

test('settings found through .netrc are online, and a runner resolves them once per (project, entity, mode)', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  writeFileSync(join(dir, '.netrc'), 'machine api.wandb.ai password k1\n');
  const settingsFor = createSettingsResolver({ env: {}, cwd: dir, dir, homedir: dir });
  const a = settingsFor({ project: 'p' });
  assert.equal(a.apiKey, 'k1');
  assert.equal(a.mode, 'online');
  a.warnings.push('x');
  const b = settingsFor({ project: 'p' });
  assert.deepEqual(b.warnings, [], 'each call gets its own warnings');
  assert.equal(b.storePath, a.storePath);
});

test("createServices uses what it is given, else the process's own", () => {
  const services = createServices({ openStore: () => assert.fail('not opened'), now: () => 42, random: () => 7 });
  assert.equal(services.now(), 42);
  assert.equal(services.random(10), 7);
  assert.equal(services.fetch, globalThis.fetch);
  assert.equal(services.logger, services.logger, 'one logger for the runner');
  const given = createServices({ openStore: () => assert.fail('not opened'), logger: services.logger });
  assert.equal(given.logger, services.logger, 'a given logger is used as it is');
});

test('runner resources: a handler loads once; close() closes the stores it opened', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const r = createRunnerResources({ env: {}, cwd: dir, dir, homedir: dir });
  assert.equal(r.loadedHandler('init'), undefined, 'nothing is loaded before the first call');
  const first = await r.loadHandler('init');
  assert.equal(r.loadedHandler('init'), first);
  const warnings: string[] = [];
  const settings = r.settingsFor({ project: 'p' });
  const ctx = r.contextFor({ action: 'init', project: 'p' }, settings, warnings);
  ctx.warn('w');
  assert.deepEqual(warnings, ['w']);
  const store = ctx.store();
  assert.equal(r.stores.get(settings.storePath), store);
  r.close();
  assert.equal(r.stores.get(settings.storePath), undefined);
});
