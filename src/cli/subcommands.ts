import type { CliIo } from './io.js';

/** A `wandb-skill <name> ...` subcommand: gets the arguments after its name, returns the exit code. */
export type Subcommand = (args: string[], io: CliIo) => Promise<number>;

/** The subcommands, each in its own file, loaded only when called. */
export const SUBCOMMANDS: Record<string, () => Promise<Subcommand>> = {
  sync: async () => (await import('./sync.js')).sync,
  agent: async () => (await import('./agent.js')).agent,
  serve: async () => (await import('./serve.js')).serve,
  import: async () => (await import('./import.js')).importRuns,
  export: async () => (await import('./export.js')).exportRuns,
  mcp: async () => (await import('./mcp.js')).mcp,
};
