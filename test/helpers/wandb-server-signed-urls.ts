/**
 * The test server's signed URLs: no-auth upload URLs (a token and a signature) that require the
 * announced upload headers, and download URLs for stored bytes. A request that carries an
 * Authorization header here is recorded: a client must not send its API key off the API.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Faults } from './wandb-server-faults.js';
import { send } from './wandb-server-http.js';
import type { ServerState, SignedTarget } from './wandb-server-state.js';
import type { RecordedRequest } from './wandb-server-types.js';

export interface SignedUrlOptions {
  state: ServerState;
  /** `Name: value` headers every upload must carry. */
  uploadHeaders: string[];
  faults: Faults;
  /** The server's base URL, known once it listens. */
  baseUrl(): string;
  signedUrlAuthViolations: RecordedRequest[];
  uploadHeaderViolations: RecordedRequest[];
}

export interface SignedUrls {
  uploadUrl(target: SignedTarget): string;
  downloadUrl(storagePath: string): string;
  /** Serves `/_signed/<token>`: stores the bytes in the target the URL was signed for. */
  upload(req: IncomingMessage, res: ServerResponse, record: RecordedRequest, raw: Buffer, url: URL, token: string): Promise<void>;
  /** Serves `/_files/<storage path segments>`. */
  download(res: ServerResponse, record: RecordedRequest, segments: string[]): void;
  /** The most uploads that were in flight at one time. */
  maxConcurrentUploads(): number;
}

export function createSignedUrls(options: SignedUrlOptions): SignedUrls {
  const { state, faults, signedUrlAuthViolations, uploadHeaderViolations } = options;
  const requiredUploadHeaders = options.uploadHeaders.map((h) => {
    const i = h.indexOf(':');
    return [h.slice(0, i).trim().toLowerCase(), h.slice(i + 1).trim()] as const;
  });
  const signed = new Map<string, { target: SignedTarget; sig: string }>();
  let uploadsInFlight = 0;
  let maxUploadsInFlight = 0;

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

  async function answerSigned(req: IncomingMessage, res: ServerResponse, record: RecordedRequest, raw: Buffer, url: URL, token: string): Promise<void> {
    if (record.hasAuthorization) signedUrlAuthViolations.push(record);
    const plan = faults.take(['upload']);
    if (plan !== undefined && (await faults.answer(res, plan, record))) return;
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

  return {
    uploadUrl(target) {
      const token = randomBytes(8).toString('hex');
      const sig = randomBytes(8).toString('hex');
      signed.set(token, { target, sig });
      state.signedUrls.set(token, target);
      return `${options.baseUrl()}/_signed/${token}?sig=${sig}`;
    },
    downloadUrl(storagePath) {
      return `${options.baseUrl()}/_files/${storagePath.split('/').map(encodeURIComponent).join('/')}`;
    },
    async upload(req, res, record, raw, url, token) {
      uploadsInFlight += 1;
      maxUploadsInFlight = Math.max(maxUploadsInFlight, uploadsInFlight);
      try {
        await answerSigned(req, res, record, raw, url, token);
      } finally {
        uploadsInFlight -= 1;
      }
    },
    download(res, record, segments) {
      if (record.hasAuthorization) signedUrlAuthViolations.push(record);
      const bytes = storedBytes(segments.map(decodeURIComponent).join('/'));
      record.status = bytes === undefined ? 404 : 200;
      if (bytes === undefined) return send(res, 404, { error: 'not found' });
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.end(bytes);
    },
    maxConcurrentUploads: () => maxUploadsInFlight,
  };
}
