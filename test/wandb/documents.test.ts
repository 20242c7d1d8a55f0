import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildSchema, parse, validate, type OperationDefinitionNode } from 'graphql';
import { ALL_DOCUMENTS } from '../../src/wandb/operations.js';

// dist/test/wandb → repo root is three levels up; the schema sits beside the repo in shared/.
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const sharedSchema = join(repoRoot, '..', 'shared', 'wandb', 'schema.graphql');
const schemaPath = existsSync(sharedSchema) ? sharedSchema : join(repoRoot, 'test', 'fixtures', 'wandb', 'schema.graphql');
const schema = buildSchema(readFileSync(schemaPath, 'utf8'));

describe('GraphQL documents', () => {
  for (const [name, text] of Object.entries(ALL_DOCUMENTS)) {
    it(`${name} validates against schema.graphql`, () => {
      const doc = parse(text);
      const errors = validate(schema, doc).map((e) => e.message);
      assert.deepEqual(errors, []);
      const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
      assert.equal(ops.length, 1, 'one named operation per document');
      assert.ok(ops[0]?.name?.value, 'the operation is named');
    });
  }

  it('has one document per operation name', () => {
    const names = Object.values(ALL_DOCUMENTS).map((t) => {
      const op = parse(t).definitions[0] as OperationDefinitionNode;
      return op.name?.value;
    });
    assert.equal(new Set(names).size, names.length);
  });
});
