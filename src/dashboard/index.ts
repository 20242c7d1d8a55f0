/**
 * The local dashboard: a web UI over the store, served by node:http on 127.0.0.1 by default.
 * Read-only over runs and history; the one write is saving a custom panel.
 *
 * @example
 * const { url, close } = await startDashboard({ dir: process.cwd(), port: 0 });
 * // open `${url}/local/my-project`, then: await close();
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import type { Logger } from 'pino';
import { openStore } from '../store/index.js';
import { defaultStorePath } from '../settings.js';
import { createAssets } from './assets.js';
import { HttpError, sendError, baseHeaders } from './http.js';
import { route, type RouteDeps } from './routes.js';
import { createRunCache, RUN_CACHE_BYTES } from './run-cache.js';
import { processLiveness, type Liveness } from '../liveness.js';

export interface DashboardOptions {
  /** The store file; default `<dir>/wandb/skill-store.sqlite`. */
  storePath?: string;
  /** W&B's root folder (run files live under `<dir>/wandb/runs`); default: two levels above `storePath`. */
  dir?: string;
  /** Default 8765 (the skill's default dashboard URL); 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. Any host that is not loopback needs `allowRemote`. */
  host?: string;
  allowRemote?: boolean;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Injectable clock (ms), used for panel timestamps. */
  now?: () => number;
  /** Whether processes are alive: runs of dead agents and trackers are shown (and stored) crashed. */
  liveness?: Liveness;
  /** Byte budget of the server's run cache (summaries, sampled series, media); default 64 MB. */
  cacheBytes?: number;
}

export interface Dashboard {
  /** `http://host:port`, without a trailing slash. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function splitPath(rawUrl: string): { segments: string[]; query: URLSearchParams } {
  const q = rawUrl.indexOf('?');
  const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1));
  // Segments are decoded one by one, so `%2F` stays inside its segment and `%2e%2e` is seen as `..`.
  const parts = path.split('/').slice(1);
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  let segments: string[];
  try {
    segments = parts.map((p) => decodeURIComponent(p));
  } catch {
    throw new HttpError(400, 'INVALID_INPUT', 'malformed percent-encoding in the path');
  }
  // No project, run, sweep or artifact name is `.` or `..`: such a segment can only be a climb.
  if (segments.some((s) => s === '..' || s === '.')) throw new HttpError(403, 'FORBIDDEN', 'dot segments are not allowed');
  return { segments, query };
}

/** Starts the dashboard; resolves once it listens. */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && options.allowRemote !== true) {
    throw new Error(`refusing to listen on ${host}: it is not a loopback address (pass allowRemote / --allow-remote to expose the dashboard)`);
  }
  if (options.storePath === undefined && options.dir === undefined) throw new Error('startDashboard needs storePath or dir');
  const storePath = resolve(options.storePath ?? defaultStorePath(options.dir as string));
  const dir = resolve(options.dir ?? dirname(dirname(storePath)));
  const store = openStore({ path: storePath });
  const deps: RouteDeps = {
    store,
    panels: store.panels,
    runs: createRunCache(store, options.cacheBytes ?? RUN_CACHE_BYTES),
    assets: createAssets(),
    dir,
    now: options.now ?? Date.now,
    liveness: options.liveness ?? processLiveness(),
  };
  const allowedHosts = new Set<string>();
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      // DNS rebinding: on loopback, only requests addressed to a loopback name are answered.
      if (allowedHosts.size > 0 && !allowedHosts.has((req.headers.host ?? '').toLowerCase())) {
        throw new HttpError(403, 'FORBIDDEN', 'unexpected Host header');
      }
      const { segments, query } = splitPath(req.url ?? '/');
      await route(deps, { method: req.method ?? 'GET', segments, query, raw: req }, res);
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // Drain an unread request body, so the client gets the answer rather than a reset.
      if (!req.readableEnded) req.resume();
      baseHeaders(res);
      if (err instanceof HttpError) sendError(res, err);
      else {
        options.logger?.error({ err }, 'dashboard request failed');
        sendError(res, new HttpError(500, 'INTERNAL', 'internal error'));
      }
    }
  };
  const server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 5000;
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 8765, host, () => {
      server.off('error', fail);
      ok();
    });
  }).catch((err: unknown) => {
    store.close();
    throw err;
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  if (isLoopback(host)) for (const h of ['127.0.0.1', 'localhost', '[::1]', shown]) allowedHosts.add(`${h}:${port}`);
  const url = `http://${shown}:${port}`;
  options.logger?.info({ url, storePath }, 'dashboard listening');
  let closed: Promise<void> | undefined;
  return {
    url,
    port,
    close: () =>
      (closed ??= new Promise<void>((ok) => {
        server.close(() => {
          store.close();
          ok();
        });
        server.closeAllConnections();
      })),
  };
}
