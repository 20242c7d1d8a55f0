/**
 * Run-file uploads (PROTOCOL.md §4.2): `CreateRunFiles` for signed URLs, then a plain `PUT` of the
 * bytes to each. Signed URLs get only the server's `uploadHeaders`, never the W&B credentials: they
 * usually point at cloud storage, and W&B's own file-transfer client has no credential layer.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { SkillError } from '../errors.js';
import type { GraphqlClient } from './graphql.js';
import { httpRequest, type HttpTransportOptions, type WandbLogger } from './http.js';
import { createRunFiles } from './operations.js';
import { forEachLimit } from '../concurrency.js';

/** Splits `"Name: value"` strings at the first colon (values may contain colons). */
export function parseUploadHeaders(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of list) {
    const i = entry.indexOf(':');
    if (i <= 0) continue;
    out[entry.slice(0, i).trim()] = entry.slice(i + 1).trim();
  }
  return out;
}

export interface PutSignedUrlOptions extends HttpTransportOptions {
  url: string;
  /** `uploadHeaders` from the server, as `"Name: value"` strings. */
  uploadHeaders?: readonly string[];
  /** A file to stream, or bytes in memory. */
  source: { path: string } | { data: string | Uint8Array };
  /** For errors and logs (the run-relative path). */
  name?: string;
}

/** PUTs bytes to a signed URL with no W&B credentials; throws `SkillError` unless the answer is 2xx. */
export async function putSignedUrl(options: PutSignedUrlOptions): Promise<void> {
  const headers = parseUploadHeaders(options.uploadHeaders ?? []);
  for (const name of Object.keys(headers)) {
    // Defence in depth: a signed URL must never carry credentials, whatever the server listed.
    if (name.toLowerCase() === 'authorization') delete headers[name];
  }
  let body: string | Uint8Array | (() => NonNullable<RequestInit['body']>);
  if ('path' in options.source) {
    const path = options.source.path;
    const size = (await stat(path)).size;
    // Object stores reject chunked PUTs; a known length keeps the stream a plain PUT.
    headers['Content-Length'] = String(size);
    body = () => Readable.toWeb(createReadStream(path)) as unknown as NonNullable<RequestInit['body']>;
  } else {
    body = options.source.data;
  }
  const { url, uploadHeaders: _h, source: _s, name, ...transport } = options;
  await httpRequest({ ...transport, url, operation: `upload ${name ?? ''}`.trim(), method: 'PUT', headers, body });
}

export interface RunFileToUpload {
  /** Run-relative path with `/` separators, e.g. `media/images/x_1_ab.png`. */
  name: string;
  /** Local file to stream. */
  path: string;
}

export interface UploadRunFilesOptions extends HttpTransportOptions {
  client: GraphqlClient;
  entity: string;
  project: string;
  runId: string;
  files: readonly RunFileToUpload[];
  /** Parallel PUTs (default 4). */
  concurrency?: number;
  logger?: WandbLogger;
}

export interface UploadRunFilesResult {
  /** Names whose PUT succeeded: list them in the next file_stream `uploaded`. */
  uploaded: string[];
  /** Names the server answered with a null URL for (nothing to upload). */
  skipped: string[];
}

/** Gets signed URLs for run files and uploads them; fails with the first upload error. */
export async function uploadRunFiles(options: UploadRunFilesOptions): Promise<UploadRunFilesResult> {
  if (options.files.length === 0) return { uploaded: [], skipped: [] };
  const { client, entity, project, runId, files, concurrency, ...transport } = options;
  const answer = await createRunFiles(client, { entity, project, run: runId, files: files.map((f) => f.name) });
  if (answer.files.length !== files.length) {
    throw new SkillError('BACKEND_UNAVAILABLE', `CreateRunFiles answered for ${answer.files.length} of ${files.length} files`, {
      details: { operation: 'CreateRunFiles', sent: files.length, received: answer.files.length },
    });
  }
  const urlByName = new Map(answer.files.map((f) => [f.name, f.uploadUrl]));
  const uploaded: string[] = [];
  const skipped: string[] = [];
  await forEachLimit(files, concurrency ?? 4, async (file, i) => {
    const url = urlByName.has(file.name) ? urlByName.get(file.name) : answer.files[i]?.uploadUrl;
    if (url === null || url === undefined) {
      skipped.push(file.name);
      return;
    }
    await putSignedUrl({ ...transport, url, uploadHeaders: answer.uploadHeaders, source: { path: file.path }, name: file.name });
    uploaded.push(file.name);
  });
  options.logger?.debug({ runId, uploaded: uploaded.length, skipped: skipped.length }, 'run files uploaded');
  // Keep the caller's order, so `uploaded` lists are stable.
  const order = new Map(files.map((f, i) => [f.name, i]));
  const byOrder = (a: string, b: string): number => (order.get(a) ?? 0) - (order.get(b) ?? 0);
  return { uploaded: uploaded.sort(byOrder), skipped: skipped.sort(byOrder) };
}
