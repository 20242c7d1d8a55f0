/**
 * The public shapes of the W&B-protocol test server (wandb-server.ts): its options, fault plans,
 * recorded requests and the handle a test drives.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { HistoryViolation, ServerRun, ServerState } from './wandb-server-state.js';

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
