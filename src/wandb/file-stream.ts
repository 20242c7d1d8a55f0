/**
 * The run's file stream: `POST {base}/files/{entity}/{project}/{run}/file_stream` (PROTOCOL.md §3).
 * Offsets are line numbers, so a retried request rewrites the same lines and never duplicates them.
 * Lines arrive already serialised (W&B's extended JSON may hold bare NaN/Infinity); they are sent
 * as-is, never parsed and re-stringified.
 */
import { SkillError } from '../errors.js';
import { basicAuthHeader, normalizeBaseUrl } from './graphql.js';
import { httpRequest, type HttpTransportOptions, type WandbLogger } from './http.js';
import { encodePathSegment } from './urls.js';

export const HISTORY_FILE = 'wandb-history.jsonl';
export const SUMMARY_FILE = 'wandb-summary.json';
export const EVENTS_FILE = 'wandb-events.jsonl';
export const OUTPUT_FILE = 'output.log';

/** W&B's cap on line content per request (`x_file_stream_max_bytes`). */
export const DEFAULT_MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/** W&B drops a single history line above this size (10 MiB − 100 KiB); we refuse it instead. */
export const MAX_LINE_BYTES = 10 * 1024 * 1024 - 100 * 1024;

export interface FileStreamOptions extends HttpTransportOptions {
  baseUrl: string;
  apiKey: string;
  entity: string;
  project: string;
  runId: string;
  /** Content bytes per request before splitting (default 10 MiB). */
  maxRequestBytes?: number;
  logger?: WandbLogger;
}

export interface LineChunk {
  /** 0-based line number of `lines[0]`. */
  offset: number;
  lines: string[];
}

export interface FileStreamSend {
  historyLines?: LineChunk;
  /** The whole current summary, one serialised line, written at offset 0. */
  summaryLine?: string;
  eventsLines?: LineChunk;
  outputLines?: LineChunk;
  /** Run-relative paths whose signed-URL upload just finished. */
  uploaded?: string[];
  /** Only in the last request of a run: marks it finished (0) or failed. */
  complete?: { exitcode: number };
  preempting?: boolean;
}

export interface FileStreamResult {
  /** The server asked the run to stop (`{"stopped": true}`). */
  stopped: boolean;
  /** HTTP requests made (after splitting). */
  requests: number;
}

export interface FileStream {
  readonly url: string;
  /** Sends lines (split at the byte cap with correct offsets); requests go one at a time per stream. */
  send(input: FileStreamSend): Promise<FileStreamResult>;
  /** An empty `{}` request: keeps the run from being shown as crashed. */
  heartbeat(): Promise<FileStreamResult>;
}

interface Item {
  file: string;
  offset: number;
  line: string;
  bytes: number;
}

type FileChunk = { offset: number; content: string[] };
type Body = { files?: Record<string, FileChunk>; uploaded?: string[]; complete?: boolean; exitcode?: number; preempting?: boolean };

function items(file: string, chunk: LineChunk | undefined): Item[] {
  if (chunk === undefined) return [];
  return chunk.lines.map((line, i) => ({ file, offset: chunk.offset + i, line, bytes: Buffer.byteLength(line) }));
}

/** Packs items into request bodies of at most `maxBytes` content; each file's lines stay contiguous per body. */
export function planFileStreamBodies(input: FileStreamSend, maxBytes: number): Body[] {
  const all: Item[] = [
    ...items(HISTORY_FILE, input.historyLines),
    ...items(EVENTS_FILE, input.eventsLines),
    ...items(OUTPUT_FILE, input.outputLines),
    ...(input.summaryLine === undefined ? [] : items(SUMMARY_FILE, { offset: 0, lines: [input.summaryLine] })),
  ];
  for (const item of all) {
    if (item.file !== OUTPUT_FILE && item.bytes > MAX_LINE_BYTES) {
      throw new SkillError('PAYLOAD_TOO_LARGE', `${item.file} line ${item.offset} is ${item.bytes} bytes; W&B accepts at most ${MAX_LINE_BYTES}`, {
        details: { file: item.file, offset: item.offset, bytes: item.bytes, limit: MAX_LINE_BYTES },
      });
    }
  }
  const bodies: Body[] = [];
  let current: Record<string, FileChunk> = {};
  let size = 0;
  let count = 0;
  for (const item of all) {
    if (count > 0 && size + item.bytes > maxBytes) {
      bodies.push({ files: current });
      current = {};
      size = 0;
      count = 0;
    }
    const chunk = current[item.file];
    if (chunk === undefined) current[item.file] = { offset: item.offset, content: [item.line] };
    else chunk.content.push(item.line);
    size += item.bytes;
    count += 1;
  }
  const last: Body = count > 0 ? { files: current } : {};
  if (input.uploaded !== undefined && input.uploaded.length > 0) last.uploaded = input.uploaded;
  if (input.preempting === true) last.preempting = true;
  if (input.complete !== undefined) {
    last.complete = true;
    last.exitcode = input.complete.exitcode;
  }
  bodies.push(last);
  return bodies;
}

/** Creates the file stream of one run. */
export function createFileStream(options: FileStreamOptions): FileStream {
  const base = normalizeBaseUrl(options.baseUrl);
  const url = `${base}/files/${encodePathSegment(options.entity)}/${encodePathSegment(options.project)}/${encodePathSegment(options.runId)}/file_stream`;
  const maxBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  const headers = {
    'Content-Type': 'application/json',
    Authorization: basicAuthHeader(options.apiKey),
  };
  const { apiKey: _k, baseUrl: _b, entity: _e, project: _p, runId: _r, maxRequestBytes: _m, ...transport } = options;
  // One request in flight per run, as wandb-core's transmit loop: later sends wait for earlier ones.
  let queue: Promise<unknown> = Promise.resolve();

  async function post(body: Body): Promise<boolean> {
    const res = await httpRequest({
      ...transport,
      url,
      operation: 'file_stream',
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      secrets: [options.apiKey],
    });
    try {
      const parsed: unknown = JSON.parse(res.body);
      return parsed !== null && typeof parsed === 'object' && (parsed as { stopped?: unknown }).stopped === true;
    } catch {
      return false; // W&B reads only `stopped`; anything else in a 2xx is success
    }
  }

  async function sendBodies(bodies: Body[]): Promise<FileStreamResult> {
    let stopped = false;
    for (const body of bodies) {
      if (await post(body)) stopped = true;
    }
    options.logger?.debug({ runId: options.runId, requests: bodies.length, stopped }, 'file_stream sent');
    return { stopped, requests: bodies.length };
  }

  function enqueue(bodies: Body[]): Promise<FileStreamResult> {
    const run = queue.then(() => sendBodies(bodies));
    queue = run.catch(() => undefined);
    return run;
  }

  return {
    url,
    send: (input) => {
      let bodies: Body[];
      try {
        bodies = planFileStreamBodies(input, maxBytes);
      } catch (err) {
        return Promise.reject(err);
      }
      return enqueue(bodies);
    },
    heartbeat: () => enqueue([{}]),
  };
}
