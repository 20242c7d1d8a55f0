import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { McpService } from './service.js';

/**
 * Serves one MCP client over the given streams (the process's stdin and stdout) until the client
 * closes stdin (how MCP clients end a stdio server) or `stop` resolves.
 */
export async function serveStdio(service: McpService, stdin: Readable, stdout: Writable, stop: Promise<void>): Promise<void> {
  const ended = new Promise<void>((resolve) => {
    stdin.once('end', resolve);
    stdin.once('close', resolve);
  });
  await service.createServer().connect(new StdioServerTransport(stdin, stdout));
  await Promise.race([ended, stop]);
}
