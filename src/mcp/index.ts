/** The Model Context Protocol server (`wandb-skill mcp`): tools per action, the store as resources. */
export { createMcpService, type McpService, type McpServiceOptions } from './service.js';
export { startMcpHttp, MCP_PATH, type McpHttpOptions, type McpHttpServer } from './http.js';
export { serveStdio } from './stdio.js';
export { deriveTools, toolInputSchema, actionsOf, type ToolDefinition } from './tools.js';
export { resourceUri, parseResourceUri, type ResourceRef } from './resource-uris.js';
