import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deriveTools, toolInputSchema } from '../../src/mcp/tools.js';
import { skillExample } from '../../src/mcp/descriptions.js';
import { parseResourceUri, resourceUri } from '../../src/mcp/resource-uris.js';
import { repoRoot } from '../helpers/tmp.js';

const read = (...p: string[]): string => readFileSync(join(repoRoot, ...p), 'utf8');
const input = JSON.parse(read('schemas', 'input.schema.json')) as Record<string, unknown>;
const output = JSON.parse(read('schemas', 'output.schema.json')) as Record<string, unknown>;

test('an action added to the schema becomes a tool, with the per-action conditions resolved for it', () => {
  const grown = structuredClone(input) as { properties: { action: { enum: string[] } }; allOf: unknown[] } & Record<string, unknown>;
  grown.properties.action.enum.push('query');
  grown.allOf.push({ if: { properties: { action: { const: 'query' } } }, then: { required: ['project'] } });
  const tools = deriveTools(grown, output, read('SKILL.md'));
  assert.deepEqual(tools.map((t) => t.name).slice(-1), ['query']);
  const query = tools.find((t) => t.name === 'query');
  assert.deepEqual(query?.inputSchema.required, ['project']);
  assert.ok(!(tools.find((t) => t.name === 'log')?.inputSchema.required as string[]).includes('project'), "query's condition does not leak into log");
  assert.ok(query?.description.includes('query'));
});

test('tool input schemas are the contract with action fixed: nothing else restated', () => {
  const log = toolInputSchema(input, 'log');
  const { action: _a, ...props } = log['properties'] as Record<string, unknown>;
  const { action: _b, ...contractProps } = input['properties'] as Record<string, unknown>;
  assert.deepEqual(props, contractProps);
  assert.deepEqual(log['definitions'], input['definitions']);
  assert.equal(log['additionalProperties'], false);
  assert.equal(log['$id'], undefined, 'no shared $id: each tool schema differs');
});

test("descriptions quote SKILL.md's example of the action", () => {
  const skill = read('SKILL.md');
  for (const action of ['init', 'log', 'finish', 'sweep', 'artifact', 'alert', 'report']) {
    assert.match(skillExample(skill, action) ?? '', /Example input: \{"action": "/, action);
  }
  assert.equal(skillExample(skill, 'nosuchaction'), undefined);
});

test('resource URIs round-trip, percent-encoding what needs it', () => {
  const ref = { project: 'my project', kind: 'artifacts' as const, id: 'model:v3' };
  assert.equal(resourceUri(ref), 'wandb://my%20project/artifacts/model%3Av3');
  assert.deepEqual(parseResourceUri(resourceUri(ref)), ref);
  assert.deepEqual(parseResourceUri('wandb://p/artifacts/model:v3'), { project: 'p', kind: 'artifacts', id: 'model:v3' });
  assert.equal(parseResourceUri('wandb://p/things/x'), undefined);
  assert.equal(parseResourceUri('file:///etc/passwd'), undefined);
  assert.equal(parseResourceUri('wandb://p/runs/%E0%A4%A'), undefined);
});
