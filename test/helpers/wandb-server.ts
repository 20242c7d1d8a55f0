/**
 * A W&B-protocol test server on 127.0.0.1 (port 0): GraphQL validated against
 * shared/wandb/schema.graphql and executed on in-memory state, the run file stream, and
 * no-auth signed URLs for uploads. Faults (status, Retry-After, hang, slowness) are injected per route.
 * This file routes requests and serves file_stream (its semantics: wandb-server-file-stream.ts); the
 * other routes live in wandb-server-graphql-route.ts and wandb-server-signed-urls.ts, injected faults
 * in wandb-server-faults.ts, and the shapes a test sees in wandb-server-types.ts.
 *
 * @example
 * const server = await startWandbServer();
 * server.fail('graphql:UpsertBucket', { status: 500, times: 1 });
 * // ... drive a client at server.url with server.apiKey ...
 * assert.deepEqual(server.invalidDocuments, []);
 * await server.close();
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFaults } from './wandb-server-faults.js';
import { applyFileStream, checkFileStreamBody, type FileStreamBody } from './wandb-server-file-stream.js';
import { createGraphqlRoute, loadSchema } from './wandb-server-graphql-route.js';
import { authorized, readBody, send } from './wandb-server-http.js';
import type { ResolverContext } from './wandb-server-resolvers.js';
import { createSignedUrls } from './wandb-server-signed-urls.js';
import { createState, runKey, type HistoryViolation } from './wandb-server-state.js';
import type { InvalidDocument, RecordedRequest, WandbServerOptions, WandbTestServer } from './wandb-server-types.js';

export type { ServerState, ServerRun, HistoryViolation } from './wandb-server-state.js';
export type { FaultPlan, FaultRoute, InvalidDocument, RecordedRequest, WandbServerOptions, WandbTestServer } from './wandb-server-types.js';

/** Starts the server; always `close()` it (e.g. in `after`). */
export async function startWandbServer(options: WandbServerOptions = {}): Promise<WandbTestServer> {
  const apiKey = options.apiKey ?? randomBytes(20).toString('hex');
  const schema = loadSchema(options.schemaPath);
  const state = createState(options.entity ?? 'test-entity', options.username ?? 'test-user', options.features ?? {});
  const uploadHeaders = options.uploadHeaders ?? ['X-Test-Upload-Token: tok:abc:123'];
  const faults = createFaults();
  const requests: RecordedRequest[] = [];
  const invalidDocuments: InvalidDocument[] = [];
  const streamViolations: HistoryViolation[] = [];
  const signedUrlAuthViolations: RecordedRequest[] = [];
  const uploadHeaderViolations: RecordedRequest[] = [];
  let base = '';
  const signedUrls = createSignedUrls({ state, uploadHeaders, faults, baseUrl: () => base, signedUrlAuthViolations, uploadHeaderViolations });

  const ctx: ResolverContext = {
    state,
    uploadHeaders,
    nullUploadUrlFiles: new Set(options.nullUploadUrlFiles ?? []),
    uploadUrl: signedUrls.uploadUrl,
    downloadUrl: signedUrls.downloadUrl,
  };
  const handleGraphql = createGraphqlRoute({ schema, ctx, apiKey, faults, invalidDocuments });

  async function handleFileStream(req: IncomingMessage, res: ServerResponse, record: RecordedRequest, raw: Buffer, parts: string[]): Promise<void> {
    if (!authorized(req, apiKey)) {
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
    const plan = faults.take(['file_stream']);
    if (plan !== undefined && plan.afterApply !== true && (await faults.answer(res, plan, record))) return;
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
    if (plan !== undefined && plan.afterApply === true && (await faults.answer(res, plan, record))) return;
    record.status = 200;
    send(res, 200, stopped ? { stopped: true } : {});
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const segments = url.pathname.split('/').filter((s) => s !== '');
    const route: RecordedRequest['route'] =
      url.pathname === '/graphql'
        ? 'graphql'
        : segments[0] === 'files' && segments[4] === 'file_stream'
          ? 'file_stream'
          : segments[0] === '_signed'
            ? 'upload'
            : segments[0] === '_files'
              ? 'download'
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
    if (route === 'upload') return signedUrls.upload(req, res, record, raw, url, segments[1] ?? '');
    if (route === 'download' && req.method === 'GET') return signedUrls.download(res, record, segments.slice(1));
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
    maxConcurrentUploads: signedUrls.maxConcurrentUploads,
    operations: () => requests.map((r) => (r.route === 'graphql' ? (r.operationName ?? '(anonymous)') : r.route)),
    fail: (route, plan = {}) => faults.add(route, plan),
    clearFaults: () => faults.clear(),
    run: (entity, project, runId) => state.runs.get(runKey(entity, project, runId)),
    stopRun(entity, project, runId) {
      const run = state.runs.get(runKey(entity, project, runId));
      if (run === undefined) throw new Error(`no run ${entity}/${project}/${runId}`);
      run.stopped = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        faults.destroyHanging();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
