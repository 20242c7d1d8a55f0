import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ERROR_CODES } from '../src/errors.js';
import { assertValidInput } from '../src/contract/validate.js';
import { repoRoot } from './helpers/tmp.js';

const outputSchema = JSON.parse(readFileSync(join(repoRoot, 'schemas', 'output.schema.json'), 'utf8'));

test('the error codes and the output schema enum are the same list', () => {
  assert.deepEqual(outputSchema.properties.error.properties.code.enum, [...ERROR_CODES]);
});

test("every field of the skill card's output schema keeps its name", () => {
  for (const f of ['status', 'action', 'runId', 'runUrl', 'sweepId', 'artifactId', 'artifactUrl']) {
    assert.ok(f in outputSchema.properties, f);
  }
  assert.deepEqual(outputSchema.required, ['status', 'action']);
});

test('inputs the skill card accepts are still valid', () => {
  const card = [
    { action: 'init', project: 'ml-experiments', runConfig: { name: 'resnet-v1', tags: ['baseline'], notes: 'n', config: { lr: 0.001 } } },
    {
      action: 'log',
      project: 'ml-experiments',
      runConfig: { name: 'resnet-v1', tags: ['baseline', 'resnet'], config: { lr: 0.001, epochs: 100 } },
      logData: { metrics: { loss: 0.5, accuracy: 0.85 }, step: 10 },
    },
    { action: 'log', logData: { metrics: { loss: 1 }, commit: false } },
    { action: 'sweep', sweepConfig: { method: 'bayes', metric: { name: 'loss', goal: 'minimize' }, parameters: { lr: { min: 0.0001, max: 0.1 } } } },
    { action: 'artifact', artifactConfig: { name: 'model', type: 'model', path: './model.pt' } },
    { action: 'alert' },
    { action: 'report', project: 'p' },
  ];
  for (const c of card) assert.doesNotThrow(() => assertValidInput(c), JSON.stringify(c));
});

test('the committed generated contract (validators, types, SKILL.md schemas) matches the schemas', () => {
  const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'gen-contract.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

test('SKILL.md has front matter and shows the current schemas', () => {
  const skill = readFileSync(join(repoRoot, 'SKILL.md'), 'utf8');
  assert.match(skill, /^---\nname: wandb-experiment-tracker\ndescription: .+\nallowed-tools:\n/);
  for (const name of ['input', 'output']) {
    const schema = readFileSync(join(repoRoot, 'schemas', `${name}.schema.json`), 'utf8');
    assert.ok(skill.includes(JSON.stringify(JSON.parse(schema), null, 2)), `${name} schema block is current`);
  }
  for (const action of ['init', 'log', 'finish', 'sweep', 'artifact', 'alert', 'report']) {
    assert.ok(skill.includes(`{"action": "${action}"`), `an example of ${action}`);
  }
});
