/**
 * A W&B-protocol test server on 127.0.0.1 (port 0): GraphQL validated against
 * shared/wandb/schema.graphql and executed on in-memory state, the run file stream, and
 * no-auth signed URLs for uploads. Faults (status, Retry-After, hang, slowness) are injected per route.
 *
 * @example
 * const server = await startWandbServer();
 * server.fail('graphql:UpsertBucket', { status: 500, times: 1 });
 * // ... drive a client at server.url with server.apiKey ...
 * assert.deepEqual(server.invalidDocuments, []);
 * await server.close();
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { buildSchema, execute, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { applyFileStream, checkFileStreamBody, type FileStreamBody } from './wandb-server-file-stream.js';
import { rootResolvers, type ResolverContext } from './wandb-server-resolvers.js';
import { createState, runKey, type HistoryViolation, type ServerRun, type ServerState, type SignedTarget } from './wandb-server-state.js';

export type { ServerState, ServerRun, HistoryViolation } from './wandb-server-state.js';

export interface WandbServerOptions {
  /** The API key the server accepts (default: 40 random hex chars). */
  apiKey?: string;
  /** The viewer's default entity (default `test-entity`). */
  entity?: string;
  username?: string;
  /** Advertised `serverInfo.features` (default none). */
  features?: Record<string, boolean>;
  /** `uploadHeaders` returned with signed URLs; the upload endpoint requires them (default one header whose value holds a colon). */
  uploadHeaders?: string[];
  /** Run files for which CreateRunFiles answers a null uploadUrl ("already stored"). */
  nullUploadUrlFiles?: string[];
  /** Override the schema file (default `<repo root>/../shared/wandb/schema.graphql`). */
  schemaPath?: string;
  /** Listen on this port (default: any free one), e.g. one that refused connections a moment ago. */
  port?: number;
}

/** A route a fault applies to: `graphql`, `graphql:<OperationName>`, `file_stream`, `upload`, or `*`. */
export type FaultRoute = string;

export interface FaultPlan {
  /** Status to answer (default 500, unless only `delayMs` is given: then the request is served normally, late). */
  status?: number;
  /** `Retry-After` header value (seconds or an HTTP date). */
  retryAfter?: string | number;
  headers?: Record<string, string>;
  /** Response body (default a JSON error). */
  body?: string | Record<string, unknown>;
  /** Never answer (until the server closes or the client gives up). */
  hang?: boolean;
  /** Wait this long before answering. */
  delayMs?: number;
  /** How many matching requests this plan affects (default 1; `Infinity` for all). */
  times?: number;
  /** Process the request first, then answer the fault (a response lost after the server acted). */
  afterApply?: boolean;
  /** Answer 200 with these GraphQL errors instead of executing. */
  graphqlErrors?: string[];
}

export interface RecordedRequest {
  seq: number;
  method: string;
  path: string;
  route: 'graphql' | 'file_stream' | 'upload' | 'download' | 'other';
  operationName?: string;
  variables?: Record<string, unknown>;
  /** The parsed body of file_stream requests. */
  body?: unknown;
  headers: IncomingHttpHeaders;
  hasAuthorization: boolean;
  status: number;
  fault?: FaultPlan;
}

export interface InvalidDocument {
  operationName: string | undefined;
  query: string;
  errors: string[];
}

export interface WandbTestServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  apiKey: string;
  state: ServerState;
  requests: RecordedRequest[];
  /** Documents (or variables) that failed schema validation: tests assert this stays empty. */
  invalidDocuments: InvalidDocument[];
  /** File-stream gaps, overwrites and non-increasing steps. */
  streamViolations: HistoryViolation[];
  /** Signed-URL requests that carried an Authorization header (credentials leaked off the API). */
  signedUrlAuthViolations: RecordedRequest[];
  /** Signed-URL uploads missing a header from `uploadHeaders`. */
  uploadHeaderViolations: RecordedRequest[];
  /** The most signed-URL uploads that were in flight at one time. */
  maxConcurrentUploads(): number;
  /** GraphQL operation names, `file_stream`, `upload` and `download`, in arrival order. */
  operations(): string[];
  /** Injects a fault for the next `plan.times` requests on a route. */
  fail(route: FaultRoute, plan?: FaultPlan): void;
  clearFaults(): void;
  /** A run by entity/project/run ID. */
  run(entity: string, project: string, runId: string): ServerRun | undefined;
  /** Marks a run stopped: its next file_stream answer is `{"stopped": true}`. */
  stopRun(entity: string, project: string, runId: string): void;
  close(): Promise<void>;
}

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

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      resolve(req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw);
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(text);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts the server; always `close()` it (e.g. in `after`). */
export async function startWandbServer(options: WandbServerOptions = {}): Promise<WandbTestServer> {
  const apiKey = options.apiKey ?? randomBytes(20).toString('hex');
  const schema: GraphQLSchema = buildSchema(readFileSync(options.schemaPath ?? findSchemaPath(), 'utf8'));
  const state = createState(options.entity ?? 'test-entity', options.username ?? 'test-user', options.features ?? {});
  const uploadHeaders = options.uploadHeaders ?? ['X-Test-Upload-Token: tok:abc:123'];
  const requiredUploadHeaders = uploadHeaders.map((h) => {
    const i = h.indexOf(':');
    return [h.slice(0, i).trim().toLowerCase(), h.slice(i + 1).trim()] as const;
  });
  const faults = new Map<string, FaultPlan[]>();
  const requests: RecordedRequest[] = [];
  const invalidDocuments: InvalidDocument[] = [];
  const streamViolations: HistoryViolation[] = [];
  const signedUrlAuthViolations: RecordedRequest[] = [];
  const uploadHeaderViolations: RecordedRequest[] = [];
  const signed = new Map<string, { target: SignedTarget; sig: string }>();
  const hanging = new Set<ServerResponse>();
  let base = '';

  const ctx: ResolverContext = {
    state,
    uploadHeaders,
    nullUploadUrlFiles: new Set(options.nullUploadUrlFiles ?? []),
    uploadUrl(target) {
      const token = randomBytes(8).toString('hex');
      const sig = randomBytes(8).toString('hex');
      signed.set(token, { target, sig });
      state.signedUrls.set(token, target);
      return `${base}/_signed/${token}?sig=${sig}`;
    },
    downloadUrl(storagePath) {
      return `${base}/_files/${storagePath.split('/').map(encodeURIComponent).join('/')}`;
    },
  };
  const root = rootResolvers(ctx);

  function takeFault(keys: string[]): FaultPlan | undefined {
    for (const key of [...keys, '*']) {
      const plans = faults.get(key);
      const plan = plans?.[0];
      if (plans === undefined || plan === undefined) continue;
      const left = (plan.times ?? 1) - 1;
      if (left <= 0) plans.shift();
      else plans[0] = { ...plan, times: left };
      return plan;
    }
    return undefined;
  }

  function authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization;
    if (header === undefined || !header.startsWith('Basic ')) return false;
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    return decoded === `api:${apiKey}`;
  }

  /** Answers a fault; returns false when the plan only delays (serve normally afterwards). */
  async function answerFault(res: ServerResponse, plan: FaultPlan, record: RecordedRequest): Promise<boolean> {
    record.fault = plan;
    if (plan.hang === true) {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return true;
    }
    if (plan.delayMs !== undefined) await sleep(plan.delayMs);
    if (plan.graphqlErrors !== undefined) {
      record.status = 200;
      send(res, 200, { data: null, errors: plan.graphqlErrors.map((message) => ({ message })) });
      return true;
    }
    if (plan.status === undefined && plan.delayMs !== undefined) return false;
    const status = plan.status ?? 500;
    const headers: Record<string, string> = { ...plan.headers };
    if (plan.retryAfter !== undefined) headers['Retry-After'] = String(plan.retryAfter);
    record.status = status;
    send(res, status, plan.body ?? { error: `injected fault ${status}` }, headers);
    return true;
  }

  async function handleGraphql(req: IncomingMessage, res: ServerResponse, record: RecordedRequest, raw: Buffer): Promise<void> {
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
    if (!authorized(req)) {
      record.status = 401;
      return send(res, 401, { errors: [{ message: 'unauthorized: invalid API key' }] });
    }
    const plan = takeFault([`graphql:${record.operationName ?? ''}`, 'graphql']);
    if (plan !== undefined && plan.afterApply !== true && (await answerFault(res, plan, record))) return;
    const result = await execute({ schema, document, rootValue: root, contextValue: ctx, variableValues: variables, ...(operationName === undefined ? {} : { operationName }) });
    if (result.data === undefined && result.errors !== undefined) {
      // Variable coercion failed: the client sent values the schema does not accept.
      invalidDocuments.push({ operationName, query, errors: result.errors.map((e) => e.message) });
    }
    if (plan !== undefined && plan.afterApply === true && (await answerFault(res, plan, record))) return;
    record.status = 200;
    send(res, 200, result);
  }

  async function handleFileStream(req: IncomingMessage, res: ServerResponse, record: RecordedRequest, raw: Buffer, parts: string[]): Promise<void> {
    if (!authorized(req)) {
      record.status = 401;
      return send(res, 401, { error: 'unauthorized' });
    }
    const [entity, project, runId] = parts.map(decodeURIComponent);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      record.status = 400;
      return send(res, 400, { error: 'body is not JSON' });
    }
    record.body = body;
    const plan = takeFault(['file_stream']);
    if (plan !== undefined && plan.afterApply !== true && (await answerFault(res, plan, record))) return;
    const problem = checkFileStreamBody(body);
    if (problem !== undefined) {
      record.status = 400;
      return send(res, 400, { error: problem });
    }
    const run = state.runs.get(runKey(entity ?? '', project ?? '', runId ?? ''));
    if (run === undefined) {
      record.status = 404;
      return send(res, 404, { error: `run ${entity}/${project}/${runId} not found` });
    }
    const { stopped } = applyFileStream(run, body as FileStreamBody, streamViolations);
    if (plan !== undefined && plan.afterApply === true && (await answerFault(res, plan, record))) return;
    record.status = 200;
    send(res, 200, stopped ? { stopped: true } : {});
  }

  function storedBytes(path: string): Buffer | undefined {
    const [kind, id, ...rest] = path.split('/');
    const name = rest.join('/');
    if (kind === 'runs') {
      for (const run of state.runs.values()) if (run.storageId === id) return run.files.get(name);
    } else if (kind === 'artifacts' && id !== undefined) {
      const a = state.artifacts.get(id);
      if (a?.manifest?.storagePath === path) return a.manifest.data ?? undefined;
      for (const other of state.artifacts.values()) for (const f of other.files.values()) if (f.storagePath === path && f.data !== null) return f.data;
    }
    return undefined;
  }

  let uploadsInFlight = 0;
  let maxUploadsInFlight = 0;
  async function handleSigned(req: IncomingMessage, res: ServerResponse, record: RecordedRequest, raw: Buffer, url: URL, token: string): Promise<void> {
    uploadsInFlight += 1;
    maxUploadsInFlight = Math.max(maxUploadsInFlight, uploadsInFlight);
    try {
      await answerSigned(req, res, record, raw, url, token);
    } finally {
      uploadsInFlight -= 1;
    }
  }

  async function answerSigned(req: IncomingMessage, res: ServerResponse, record: RecordedRequest, raw: Buffer, url: URL, token: string): Promise<void> {
    if (record.hasAuthorization) signedUrlAuthViolations.push(record);
    const plan = takeFault(['upload']);
    if (plan !== undefined && (await answerFault(res, plan, record))) return;
    const entry = signed.get(token);
    if (entry === undefined || url.searchParams.get('sig') !== entry.sig) {
      record.status = 403;
      return send(res, 403, { error: 'bad signature' });
    }
    if (req.method !== 'PUT') {
      record.status = 405;
      return send(res, 405, { error: 'PUT only' });
    }
    for (const [name, value] of requiredUploadHeaders) {
      if (req.headers[name] !== value) {
        uploadHeaderViolations.push(record);
        record.status = 403;
        return send(res, 403, { error: `missing upload header ${name}` });
      }
    }
    const t = entry.target;
    if (t.kind === 'run-file') {
      const run = state.runs.get(t.runKey);
      run?.files.set(t.name, raw);
    } else if (t.kind === 'artifact-file') {
      const f = state.artifacts.get(t.artifactId)?.files.get(t.name);
      if (f !== undefined) f.data = raw;
    } else {
      const a = state.artifacts.get(t.artifactId);
      if (a?.manifest !== null && a?.manifest !== undefined) a.manifest.data = raw;
    }
    record.status = 200;
    res.writeHead(200, { ETag: `"${randomBytes(8).toString('hex')}"` });
    res.end();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const segments = url.pathname.split('/').filter((s) => s !== '');
    const route: RecordedRequest['route'] =
      url.pathname === '/graphql' ? 'graphql'
      : segments[0] === 'files' && segments[4] === 'file_stream' ? 'file_stream'
      : segments[0] === '_signed' ? 'upload'
      : segments[0] === '_files' ? 'download'
      : 'other';
    const record: RecordedRequest = {
      seq: requests.length,
      method: req.method ?? 'GET',
      path: url.pathname,
      route,
      headers: req.headers,
      hasAuthorization: req.headers.authorization !== undefined,
      status: 0,
    };
    requests.push(record);
    if (route === 'graphql' && req.method === 'POST') return handleGraphql(req, res, record, raw);
    if (route === 'file_stream' && req.method === 'POST') return handleFileStream(req, res, record, raw, segments.slice(1, 4));
    if (route === 'upload') return handleSigned(req, res, record, raw, url, segments[1] ?? '');
    if (route === 'download' && req.method === 'GET') {
      if (record.hasAuthorization) signedUrlAuthViolations.push(record);
      const bytes = storedBytes(segments.slice(1).map(decodeURIComponent).join('/'));
      record.status = bytes === undefined ? 404 : 200;
      if (bytes === undefined) return send(res, 404, { error: 'not found' });
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.end(bytes);
      return;
    }
    record.status = 404;
    send(res, 404, { error: `no route for ${req.method ?? ''} ${url.pathname}` });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { error: `test server error: ${String(err)}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    apiKey,
    state,
    requests,
    invalidDocuments,
    streamViolations,
    signedUrlAuthViolations,
    uploadHeaderViolations,
    maxConcurrentUploads: () => maxUploadsInFlight,
    operations: () => requests.map((r) => (r.route === 'graphql' ? r.operationName ?? '(anonymous)' : r.route)),
    fail(route, plan = {}) {
      const list = faults.get(route) ?? [];
      list.push(plan);
      faults.set(route, list);
    },
    clearFaults: () => faults.clear(),
    run: (entity, project, runId) => state.runs.get(runKey(entity, project, runId)),
    stopRun(entity, project, runId) {
      const run = state.runs.get(runKey(entity, project, runId));
      if (run === undefined) throw new Error(`no run ${entity}/${project}/${runId}`);
      run.stopped = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
