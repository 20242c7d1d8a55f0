/**
 * The MCP service: one skill runner for the server's life, the tools derived from the contract, the
 * store's resources, and a protocol server per connection (one for stdio, one per HTTP session).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListResourceTemplatesRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { createSkillRunner, type SkillOptions } from '../skill.js';
import { packageRoot } from '../paths.js';
import { parseEnv, resolveSettings } from '../settings.js';
import type { Store } from '../store/index.js';
import type { SkillOutput } from '../contract/types.generated.js';
import { deriveTools, type SchemaNode, type ToolDefinition } from './tools.js';
import { createCallsInFlight, CANCELLED } from './calls.js';
import { progressSink } from './progress.js';
import { listResources, readResource } from './resources.js';
import { parseResourceUri, RESOURCE_TEMPLATES } from './resource-uris.js';
import { toStrictJson } from '../json/strict-json.js';

/** MCP's code for a resource that does not exist (the specification's -32002). */
const RESOURCE_NOT_FOUND = -32002;

export type McpServiceOptions = Omit<SkillOptions, 'onProgress' | 'replication'>;

export interface McpService {
  readonly tools: readonly ToolDefinition[];
  /** A protocol server over the shared runner: one per connection (stdio) or session (HTTP). */
  createServer(): Server;
  /** Waits for running calls, sends what online mode still holds, closes the runner. */
  close(): Promise<void>;
}

function readPackageFile(root: string, ...path: string[]): string | undefined {
  try {
    return readFileSync(join(root, ...path), 'utf8');
  } catch {
    return undefined;
  }
}

/** Outputs that may have added a run, a sweep, an artifact version or a report. */
function addsResources(out: SkillOutput): boolean {
  return out.status === 'success' && (out.created === true || out.action === 'sweep' || out.action === 'artifact' || out.action === 'report');
}

/** A refusal in the output's own shape, for what the pipeline never sees (a mismatching `action`). */
function refused(action: string, path: string, message: string): SkillOutput {
  return { status: 'error', action, error: { code: 'INVALID_INPUT', message: `${path}: ${message}`, details: { issues: [{ path, message }] } } };
}

function toolResult(out: SkillOutput): CallToolResult {
  const text = toStrictJson(out);
  return { content: [{ type: 'text', text }], structuredContent: JSON.parse(text) as Record<string, unknown>, isError: out.status === 'error' };
}

/**
 * Creates the service. Options are the runner's (env, cwd, dir, storePath, logger, ...).
 *
 * @example
 * const service = createMcpService({ env: process.env, cwd: process.cwd() });
 * await service.createServer().connect(new StdioServerTransport());
 */
export function createMcpService(options: McpServiceOptions = {}): McpService {
  const root = packageRoot(import.meta.url);
  const inputSchema = JSON.parse(readPackageFile(root, 'schemas', 'input.schema.json') ?? '{}') as SchemaNode;
  const outputSchema = JSON.parse(readPackageFile(root, 'schemas', 'output.schema.json') ?? '{}') as SchemaNode;
  const skillText = readPackageFile(root, 'SKILL.md');
  const tools = deriveTools(inputSchema, outputSchema, skillText);
  const toolNames = new Set(tools.map((t) => t.name));
  const version = (JSON.parse(readPackageFile(root, 'package.json') ?? '{}') as { version?: string }).version ?? '0.0.0';
  const calls = createCallsInFlight();
  const runner = createSkillRunner(options);
  const servers = new Set<Server>();

  /** `fn` over the store the tools write to; undefined while there is none (listing never creates one). */
  async function withStore<T>(fn: (store: Store) => T | Promise<T>): Promise<T | undefined> {
    const env = options.env ?? process.env;
    const settings = resolveSettings(
      { action: 'init' },
      { env: parseEnv(env), cwd: options.cwd ?? process.cwd(), dir: options.dir, storePath: options.storePath, homedir: options.homedir },
    );
    if (settings.mode === 'disabled' || !existsSync(settings.storePath)) return undefined;
    return runner.withContext({ action: 'init' }, async (_ctx, store) => fn(store));
  }

  function announceResources(): void {
    for (const s of servers) s.sendResourceListChanged().catch(() => undefined);
  }

  function createServer(): Server {
    const server = new Server(
      { name: 'wandb-experiment-tracker', title: 'W&B experiment tracker', version },
      {
        capabilities: { tools: { listChanged: false }, resources: { listChanged: true } },
        instructions:
          'W&B-style experiment tracking. Call `init` (runConfig.name, config) to start a run, `log` (runId, logData.metrics) per step, ' +
          "`finish` (runId, exitCode) at the end; `sweep`, `artifact`, `alert`, `report` as in SKILL.md. Every result is the skill's output " +
          'document; read error.code and error.details.issues on isError. Runs, sweeps, artifacts and reports are resources at wandb://<project>/<kind>/<id>.',
      },
    );
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: tools.map((t) => ({ ...t })) }));
    server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
      const { name, arguments: args = {}, _meta } = request.params;
      if (!toolNames.has(name)) throw new McpError(ErrorCode.InvalidParams, `unknown tool ${name}; the tools are ${[...toolNames].join(', ')}`);
      if (args['action'] !== undefined && args['action'] !== name) {
        return toolResult(refused(name, 'action', `this tool runs "${name}"; call the tool named ${JSON.stringify(args['action'])} instead`));
      }
      // The SDK sends nothing for a cancelled request; a call already running ends in the background.
      if (extra.signal.aborted) throw new McpError(ErrorCode.RequestTimeout, 'request cancelled');
      const token = _meta?.progressToken;
      const progress = token === undefined ? undefined : progressSink((n) => extra.sendNotification(n), token);
      // Clients hear of new resources even when the request that makes them was cancelled.
      const call = runner.execute({ ...args, action: name }, { progress }).then((out) => {
        if (addsResources(out)) announceResources();
        return out;
      });
      const out = await calls.track(call, extra.signal);
      await progress?.close();
      if (out === CANCELLED) throw new McpError(ErrorCode.RequestTimeout, 'request cancelled');
      return toolResult(out);
    });
    server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: (await withStore(listResources)) ?? [] }));
    server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({ resourceTemplates: RESOURCE_TEMPLATES }));
    server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
      const ref = parseResourceUri(request.params.uri);
      const content = ref === undefined ? undefined : await withStore((store) => readResource(store, ref));
      if (content === undefined) throw new McpError(RESOURCE_NOT_FOUND, `resource not found: ${request.params.uri}`, { uri: request.params.uri });
      return { contents: [content] };
    });
    servers.add(server);
    server.onclose = () => servers.delete(server);
    return server;
  }

  return {
    tools,
    createServer,
    async close() {
      for (const s of [...servers]) await s.close().catch(() => undefined);
      await calls.idle();
      await runner.flush().catch(() => undefined);
      runner.close();
    },
  };
}
