/** Sweep agents: run a sweep's runs as child programs (W&B's `wandb agent`) or in-process functions. */
export { runAgent } from './run-agent.js';
export { expandCommand, defaultInterpreter, DEFAULT_COMMAND } from './command.js';
export type { AgentContextOptions, AgentEvent, AgentFunction, AgentResult, AgentRun, AgentRunResult, AgentTrial, RunAgentOptions } from './types.js';
