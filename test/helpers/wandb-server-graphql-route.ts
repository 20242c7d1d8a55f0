/**
 * The test server's `/graphql` route: each document is parsed and validated against W&B's schema
 * (failures are recorded as invalid documents, which tests assert stay empty), then executed on the
 * in-memory state by the root resolvers.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, execute, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Faults } from './wandb-server-faults.js';
import { authorized, send } from './wandb-server-http.js';
import { rootResolvers, type ResolverContext } from './wandb-server-resolvers.js';
import type { InvalidDocument, RecordedRequest } from './wandb-server-types.js';

/**
 * ../shared/wandb/schema.graphql beside the checkout (as CI lays it out); a vendored copy in
 * test/fixtures/wandb/ (same file, see its SOURCE.md) when the checkout stands alone.
 */
function findSchemaPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) {
      const shared = join(dir, '..', 'shared', 'wandb', 'schema.graphql');
      return existsSync(shared) ? shared : join(dir, 'test', 'fixtures', 'wandb', 'schema.graphql');
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('wandb-server: no package.json above the helper; pass schemaPath');
    dir = parent;
  }
}

/** W&B's GraphQL schema, from `schemaPath` when given. */
export function loadSchema(schemaPath: string | undefined): GraphQLSchema {
  return buildSchema(readFileSync(schemaPath ?? findSchemaPath(), 'utf8'));
}

export interface GraphqlRouteOptions {
  schema: GraphQLSchema;
  ctx: ResolverContext;
  apiKey: string;
  faults: Faults;
  /** Where documents that fail parsing, validation or variable coercion are recorded. */
  invalidDocuments: InvalidDocument[];
}

export type GraphqlRoute = (req: IncomingMessage, res: ServerResponse, record: RecordedRequest, raw: Buffer) => Promise<void>;

export function createGraphqlRoute({ schema, ctx, apiKey, faults, invalidDocuments }: GraphqlRouteOptions): GraphqlRoute {
  const root = rootResolvers(ctx);
  return async function handleGraphql(req, res, record, raw) {
    let payload: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      payload = JSON.parse(raw.toString('utf8')) as typeof payload;
    } catch {
      record.status = 400;
      return send(res, 400, { errors: [{ message: 'request body is not JSON' }] });
    }
    const operationName = typeof payload.operationName === 'string' && payload.operationName !== '' ? payload.operationName : undefined;
    const variables = payload.variables !== null && typeof payload.variables === 'object' ? (payload.variables as Record<string, unknown>) : {};
    const query = typeof payload.query === 'string' ? payload.query : '';
    if (operationName !== undefined) record.operationName = operationName;
    record.variables = variables;
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (err) {
      const errors = [String((err as Error).message)];
      invalidDocuments.push({ operationName, query, errors });
      record.status = 400;
      return send(res, 400, { errors: errors.map((message) => ({ message })) });
    }
    if (record.operationName === undefined) {
      const op = document.definitions.find((d) => d.kind === 'OperationDefinition');
      if (op !== undefined && op.kind === 'OperationDefinition' && op.name !== undefined) record.operationName = op.name.value;
    }
    const problems = validate(schema, document);
    if (problems.length > 0) {
      const errors = problems.map((e) => e.message);
      invalidDocuments.push({ operationName, query, errors });
      record.status = 400;
      return send(res, 400, { errors: errors.map((message) => ({ message })) });
    }
    if (!authorized(req, apiKey)) {
      record.status = 401;
      return send(res, 401, { errors: [{ message: 'unauthorized: invalid API key' }] });
    }
    const plan = faults.take([`graphql:${record.operationName ?? ''}`, 'graphql']);
    if (plan !== undefined && plan.afterApply !== true && (await faults.answer(res, plan, record))) return;
    const result = await execute({
      schema,
      document,
      rootValue: root,
      contextValue: ctx,
      variableValues: variables,
      ...(operationName === undefined ? {} : { operationName }),
    });
    if (result.data === undefined && result.errors !== undefined) {
      // Variable coercion failed: the client sent values the schema does not accept.
      invalidDocuments.push({ operationName, query, errors: result.errors.map((e) => e.message) });
    }
    if (plan !== undefined && plan.afterApply === true && (await faults.answer(res, plan, record))) return;
    record.status = 200;
    send(res, 200, result);
  };
}
