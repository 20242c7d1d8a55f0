import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  assertAlias,
  assertArtifactName,
  assertArtifactType,
  formatArtifactRef,
  normalizeAliases,
  normalizeTags,
  parseArtifactRef,
} from '../../src/artifacts/index.js';
import { assertSkillError } from '../media/helpers/assert-skill-error.js';

test('artifact names: letters, digits, . _ -, at most 128', () => {
  for (const ok of ['mnist', 'model-v2.1_final', 'a'.repeat(128)]) assert.doesNotThrow(() => assertArtifactName(ok));
  for (const bad of ['', 'a/b', 'a:b', 'has space', 'a'.repeat(129), '..', 'naïve', 5]) {
    assert.throws(
      () => assertArtifactName(bad),
      (e) => assertSkillError(e, 'INVALID_INPUT', 'artifactConfig.name'),
    );
  }
});

test('artifact types: no / or :, wandb- prefix and reserved name prefixes refused', () => {
  assert.doesNotThrow(() => assertArtifactType('dataset', 'mnist'));
  assert.doesNotThrow(() => assertArtifactType('run_table', 'my-table'));
  for (const [type, name] of [
    ['a/b', 'x'],
    ['a:b', 'x'],
    ['wandb-history', 'x'],
    ['job', 'anything'],
    ['run_table', 'run-abc'],
    ['code', 'source-x'],
    ['', 'x'],
  ] as const) {
    assert.throws(
      () => assertArtifactType(type, name),
      (e) => assertSkillError(e, 'INVALID_INPUT', 'artifactConfig.type'),
    );
  }
});

test('aliases: no / or :, version aliases dropped with a warning, latest added, case-insensitive dedupe', () => {
  assert.doesNotThrow(() => assertAlias('best model'));
  assert.throws(
    () => assertAlias('a/b'),
    (e) => assertSkillError(e, 'INVALID_INPUT'),
  );
  assert.throws(
    () => assertAlias('a:b'),
    (e) => assertSkillError(e, 'INVALID_INPUT'),
  );
  const n = normalizeAliases(['prod', 'PROD', 'v3', 'v03', 'staging']);
  assert.deepEqual(n.aliases, ['prod', 'v03', 'staging', 'latest']);
  assert.equal(n.warnings.length, 1);
  assert.deepEqual(normalizeAliases(['latest']).aliases, ['latest']);
  assert.deepEqual(normalizeAliases().aliases, ['latest']);
  assert.throws(
    () => normalizeAliases(['ok', 'x:y']),
    (e) => assertSkillError(e, 'INVALID_INPUT', 'artifactConfig.aliases[1]'),
  );
});

test('tags follow W&B pattern and are deduplicated', () => {
  assert.deepEqual(normalizeTags(['a-b', 'two words', 'a-b']), ['a-b', 'two words']);
  assert.throws(
    () => normalizeTags(['bad!']),
    (e) => assertSkillError(e, 'INVALID_INPUT', 'artifactConfig.tags[0]'),
  );
  assert.throws(
    () => normalizeTags([' lead']),
    (e) => assertSkillError(e, 'INVALID_INPUT'),
  );
});

test('references: name, name:alias, name:vN, project/name, entity/project/name:alias', () => {
  assert.deepEqual(parseArtifactRef('mnist'), { name: 'mnist' });
  assert.deepEqual(parseArtifactRef('mnist:latest'), { name: 'mnist', alias: 'latest' });
  assert.deepEqual(parseArtifactRef('mnist:v12'), { name: 'mnist', version: 12 });
  assert.deepEqual(parseArtifactRef('mnist:v012'), { name: 'mnist', alias: 'v012' });
  assert.deepEqual(parseArtifactRef('proj/mnist:prod'), { name: 'mnist', project: 'proj', alias: 'prod' });
  assert.deepEqual(parseArtifactRef('team/proj/mnist:v0'), { entity: 'team', project: 'proj', name: 'mnist', version: 0 });
  for (const s of ['team/proj/mnist:v0', 'mnist', 'p/m:prod']) assert.equal(formatArtifactRef(parseArtifactRef(s)), s);
  for (const bad of ['', 'a/b/c/d', 'a//b', 'x:', 'x:a:b', 'bad name:v1', 'e/p/x y']) {
    assert.throws(
      () => parseArtifactRef(bad),
      (e) => assertSkillError(e, 'INVALID_INPUT', 'artifactConfig.name'),
      bad,
    );
  }
});
