import type { Liveness } from '../liveness.js';
import type { Writable } from 'node:stream';
import type { SkillOutput } from '../contract/types.generated.js';
import type { LogOptions } from '../tracker.js';
import type { RunState } from '../store/index.js';
import type { SkillOptions } from '../skill.js';

/** The run an in-process agent function logs to (like `TrackedRun`). */
export interface AgentRun {
  readonly id: string;
  readonly project: string;
  /** W&B's run.log; throws SkillError when the call fails. Its output's `shouldStop` also aborts `signal`. */
  log(metrics: Record<string, unknown>, options?: LogOptions): Promise<SkillOutput>;
  finish(exitCode?: number): Promise<SkillOutput>;
}

/** What `runAgent`'s function gets for each run. */
export interface AgentTrial {
  sweepId: string;
  runId: string;
  project: string;
  /** The run's parameters (plain nested values). */
  config: Record<string, unknown>;
  /** Aborted when the sweep stops the run (hyperband, cancel, server `stop`). */
  signal: AbortSignal;
  shouldStop(): boolean;
  run: AgentRun;
}

export type AgentFunction = (trial: AgentTrial) => unknown;

/** One run the agent executed. */
export interface AgentRunResult {
  runId: string;
  config: Record<string, unknown>;
  state: RunState;
  exitCode: number | null;
  /** Why the sweep stopped the run, when it did. */
  stopReason?: string;
  /** The function's error or the program's start failure. */
  error?: string;
}

export interface AgentResult {
  sweepId: string;
  runs: AgentRunResult[];
  /** Why the agent ended: `count`, a sweep done reason (`grid_exhausted`, `run_cap`, ...), `aborted`, `failures`. */
  reason: string;
}

export interface AgentEvent {
  phase: 'start' | 'end';
  runId: string;
  config: Record<string, unknown>;
  argv?: string[];
  result?: AgentRunResult;
}

/** Where an agent acts: the store, mode and project are resolved as for a `sweep next` call. */
export interface AgentContextOptions extends SkillOptions {
  sweepId: string;
  project?: string;
  entity?: string;
  mode?: 'online' | 'offline';
}

export interface RunAgentOptions extends AgentContextOptions {
  /** Runs this agent executes at most (W&B's `--count`); unlimited by default. */
  count?: number;
  /** Runs each trial in-process; without it the sweep's `command`/`program` runs as a child. */
  fn?: AgentFunction;
  /** How often the store is checked for stop decisions while a run runs (ms, default 1000). */
  pollMs?: number;
  /** Online: how often the agent heartbeats the server while a run runs (ms, default W&B's 5000). */
  heartbeatMs?: number;
  /** How trials' processes are recorded and checked for crashed runs (default: this host's real processes). */
  liveness?: Liveness;
  /** SIGTERM → SIGKILL delay for a stopped child (ms, default W&B's 30 s). */
  killDelayMs?: number;
  /** Where children's stdout/stderr go (default discarded). */
  output?: Writable;
  /** `${interpreter}` (default: this Node.js for .js/.mjs/.cjs programs, else `python`). */
  interpreter?: string;
  /** Aborting stops the current run (as killed) and ends the agent. */
  signal?: AbortSignal;
  onRun?: (event: AgentEvent) => void;
  /** W&B's WANDB_AGENT_MAX_INITIAL_FAILURES: stop once this many runs failed and none finished (default 5). */
  maxInitialFailures?: number;
}
