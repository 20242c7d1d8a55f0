import { createLogger } from '../logger.js';
import type { Subcommand } from './subcommands.js';
import { usageError, write, type CliIo } from './io.js';

const USAGE = `Usage: wandb-skill mcp [--http [PORT]] [--dir D] [--store FILE] [--log-level LEVEL]

A Model Context Protocol server: one tool per action (init, log, finish, sweep, artifact, alert,
report, ...), the store's runs, sweeps, artifacts and reports as resources (wandb://<project>/...).
By default it speaks MCP over stdin/stdout, as MCP clients spawn it; logs go to stderr.
--http serves Streamable HTTP on 127.0.0.1 instead (default port 8766; 0 picks a free one) and
prints the endpoint (http://127.0.0.1:PORT/mcp) as the first line on stdout.
Stops when the client closes stdin (stdio), or on SIGINT or SIGTERM.
`;

const DEFAULT_HTTP_PORT = 8766;

function usage(io: CliIo, message: string): Promise<number> {
  return usageError(io, message, { action: 'mcp', prefix: 'wandb-skill mcp', help: USAGE });
}

interface McpArgs {
  http?: number;
  dir?: string;
  storePath?: string;
  level?: string;
}

/** The arguments, or a usage error's message. */
function parse(args: string[]): McpArgs | string | 'help' {
  const out: McpArgs = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const inline = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : undefined;
    if (flag === '--help' || flag === '-h') return 'help';
    if (flag === '--http') {
      // The port is optional: the next argument is it only when it is a number.
      const next = inline ?? (args[i + 1] !== undefined && /^\d+$/.test(args[i + 1] as string) ? args[++i] : undefined);
      if (next !== undefined && (!/^\d+$/.test(next) || Number(next) > 65535)) return '--http takes a port from 0 to 65535';
      out.http = next === undefined ? DEFAULT_HTTP_PORT : Number(next);
    } else if (flag === '--dir' || flag === '--store' || flag === '--log-level') {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') return `${flag} needs a value`;
      if (flag === '--dir') out.dir = v;
      else if (flag === '--store') out.storePath = v;
      else out.level = v;
    } else return `unknown argument ${a}`;
  }
  return out;
}

/** `wandb-skill mcp`: the MCP server over stdio, or Streamable HTTP with --http. */
export const mcp: Subcommand = async (args, io) => {
  const parsed = parse(args);
  if (parsed === 'help') {
    await write(io.stdout, USAGE);
    return 0;
  }
  if (typeof parsed === 'string') return usage(io, parsed);
  const logger = createLogger({ level: parsed.level ?? io.env['WANDB_SKILL_LOG_LEVEL'] ?? 'warn', destination: io.stderr });
  const { createMcpService, serveStdio, startMcpHttp } = await import('../mcp/index.js');
  const service = createMcpService({
    env: io.env,
    cwd: io.cwd,
    logger,
    ...(parsed.dir !== undefined ? { dir: parsed.dir } : {}),
    ...(parsed.storePath !== undefined ? { storePath: parsed.storePath } : {}),
  });
  const stop = new Promise<void>((done) => {
    const onStop = (): void => {
      io.signals?.off('SIGINT', onStop);
      io.signals?.off('SIGTERM', onStop);
      done();
    };
    io.signals?.once('SIGINT', onStop);
    io.signals?.once('SIGTERM', onStop);
  });
  try {
    if (parsed.http === undefined) {
      await serveStdio(service, io.stdin, io.stdout, stop);
      return 0;
    }
    let server;
    try {
      server = await startMcpHttp(service, { port: parsed.http });
    } catch (err) {
      await write(io.stderr, `wandb-skill mcp: cannot listen: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
    await write(io.stdout, `${server.url}\n`);
    await write(io.stderr, `wandb-skill mcp: Streamable HTTP at ${server.url}; Ctrl-C stops it\n`);
    await stop;
    await server.close();
    return 0;
  } finally {
    await service.close();
  }
};
