/**
 * Streamable HTTP on a loopback address: one MCP session per client (`Mcp-Session-Id`), each with
 * its own protocol server over the service's shared runner. Hosts other than loopback are refused by
 * the command; the Host header is checked too (DNS rebinding: a web page must not reach the store).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { McpService } from './service.js';
import { MAX_INPUT_BYTES, readAll } from '../read-all.js';

/** The one path the endpoint answers on, as the SDK's examples and MCP clients expect. */
export const MCP_PATH = '/mcp';

export interface McpHttpOptions {
  port: number;
  host?: string;
}

export interface McpHttpServer {
  /** The endpoint, e.g. http://127.0.0.1:8766/mcp. */
  readonly url: string;
  /** Ends every session and stops listening (the service stays open). */
  close(): Promise<void>;
}

function jsonRpcError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

/** The request's JSON body, at most the CLI's own input limit. */
async function readBody(req: IncomingMessage): Promise<unknown> {
  const bytes = await readAll(req, MAX_INPUT_BYTES, () => new Error(`request body larger than ${MAX_INPUT_BYTES} bytes`));
  return JSON.parse(bytes.toString('utf8')) as unknown;
}

/** Serves the service over Streamable HTTP until `close()`. */
export async function startMcpHttp(service: McpService, options: McpHttpOptions): Promise<McpHttpServer> {
  const host = options.host ?? '127.0.0.1';
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  let allowedHosts: string[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== MCP_PATH) return jsonRpcError(res, 404, `not found: the MCP endpoint is ${MCP_PATH}`);
    const sessionId = req.headers['mcp-session-id'];
    const existing = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (existing !== undefined) return existing.handleRequest(req, res);
    if (req.method !== 'POST')
      return jsonRpcError(res, sessionId === undefined ? 400 : 404, sessionId === undefined ? 'no session: initialize first' : 'unknown session');
    let body: unknown;
    try {
      body = await readBody(req);
    } catch (err) {
      return jsonRpcError(res, 400, `bad request: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (sessionId !== undefined) return jsonRpcError(res, 404, 'unknown session');
    if (!isInitializeRequest(body)) return jsonRpcError(res, 400, 'no session: the first request must be initialize');
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void sessions.set(id, transport),
      enableDnsRebindingProtection: true,
      allowedHosts,
    });
    transport.onclose = () => {
      if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
    };
    await service.createServer().connect(transport);
    await transport.handleRequest(req, res, body);
  }

  const http = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => jsonRpcError(res, 500, `internal error: ${err instanceof Error ? err.message : String(err)}`));
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, host, () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${host}:${port}`];
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}${MCP_PATH}`,
    async close() {
      for (const t of [...sessions.values()]) await t.close().catch(() => undefined);
      // Open SSE streams and keep-alive sockets would hold close() until the clients leave.
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await closed;
    },
  };
}
