import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RawRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface RawServer {
  url: string;
  port: number;
  /** Every request that reached the server, in order. */
  requests: RawRequest[];
  close: () => Promise<void>;
}

/** A real HTTP server on 127.0.0.1 that records every request (any method, any body) and answers with `handler`. */
export async function startRawServer(handler: (req: RawRequest, res: ServerResponse) => void): Promise<RawServer> {
  const requests: RawRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: RawRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(r);
      handler(r, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Answers `status` with a body that never ends (16 KiB chunks while the client reads), until the client goes away. */
export function endlessBody(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'content-type': 'text/plain' });
  const chunk = Buffer.alloc(16 * 1024, 'x');
  let open = true;
  res.on('close', () => (open = false));
  const pump = (): void => {
    while (open && res.write(chunk));
    if (open) res.once('drain', pump);
  };
  pump();
}

/** A port on 127.0.0.1 that refuses connections (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const s = await startRawServer((_r, res) => res.end());
  await s.close();
  return s.port;
}
