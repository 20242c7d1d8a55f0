/**
 * A deliberately small "cloud controller" for the test server: queued commands first; otherwise, for a
 * RUNNING sweep whose agent has no live run, one `run` command with grid or random parameters
 * (flat `value`/`values`/`min`+`max` parameters only). Enough to drive an agent end to end.
 */
import { parse as parseYaml } from 'yaml';
import type { ServerState, ServerSweep } from './wandb-server-state.js';
import { ensureProject, newRun, shortId } from './wandb-server-state.js';

type Param = { value?: unknown; values?: unknown[]; min?: number; max?: number };

function sweepConfig(sweep: ServerSweep): { method: string; parameters: Record<string, Param>; runCap: number | undefined; program: string | undefined } {
  let cfg: Record<string, unknown> = {};
  try {
    const parsed: unknown = parseYaml(sweep.config);
    if (parsed !== null && typeof parsed === 'object') cfg = parsed as Record<string, unknown>;
  } catch {
    // an unparsable config schedules nothing
  }
  const params = (cfg['parameters'] ?? {}) as Record<string, Param>;
  return {
    method: typeof cfg['method'] === 'string' ? cfg['method'] : 'random',
    parameters: params,
    runCap: typeof cfg['run_cap'] === 'number' ? cfg['run_cap'] : undefined,
    program: typeof cfg['program'] === 'string' ? cfg['program'] : undefined,
  };
}

function gridValues(p: Param): unknown[] {
  if (Array.isArray(p.values)) return p.values;
  if ('value' in p) return [p.value];
  return [];
}

function gridAt(params: Record<string, Param>, index: number): Record<string, unknown> | undefined {
  const keys = Object.keys(params).sort();
  const lists = keys.map((k) => gridValues(params[k] as Param));
  const total = lists.reduce((n, l) => n * l.length, 1);
  if (index >= total || total === 0) return undefined;
  const out: Record<string, unknown> = {};
  let rest = index;
  for (let i = keys.length - 1; i >= 0; i--) {
    const list = lists[i] as unknown[];
    out[keys[i] as string] = list[rest % list.length];
    rest = Math.floor(rest / list.length);
  }
  return out;
}

function randomParams(params: Record<string, Param>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, p] of Object.entries(params)) {
    if (Array.isArray(p.values)) out[k] = p.values[Math.floor(Math.random() * p.values.length)];
    else if (typeof p.min === 'number' && typeof p.max === 'number') {
      const v = p.min + Math.random() * (p.max - p.min);
      out[k] = Number.isInteger(p.min) && Number.isInteger(p.max) ? Math.round(v) : v;
    } else if ('value' in p) out[k] = p.value;
  }
  return out;
}

/** Commands for one heartbeat. `runState` maps live run IDs to true. */
export function nextSweepCommands(state: ServerState, sweep: ServerSweep, runState: Record<string, unknown>): Record<string, unknown>[] {
  if (sweep.commandQueue.length > 0) return sweep.commandQueue.splice(0);
  const alive = Object.entries(runState)
    .filter(([, v]) => v === true)
    .map(([k]) => k);
  if (sweep.state === 'CANCELED') return alive.length > 0 ? alive.map((run_id) => ({ type: 'stop', run_id })) : [{ type: 'exit' }];
  if (sweep.state === 'FINISHED') return alive.length > 0 ? [] : [{ type: 'exit' }];
  if (sweep.state !== 'RUNNING' || alive.length > 0) return [];
  const cfg = sweepConfig(sweep);
  if (cfg.runCap !== undefined && sweep.runIds.length >= cfg.runCap) {
    sweep.state = 'FINISHED';
    return [{ type: 'exit' }];
  }
  let params: Record<string, unknown> | undefined;
  if (cfg.method === 'grid') {
    params = gridAt(cfg.parameters, sweep.gridIndex);
    if (params === undefined) {
      sweep.state = 'FINISHED';
      return [{ type: 'exit' }];
    }
    sweep.gridIndex += 1;
  } else {
    params = randomParams(cfg.parameters);
  }
  const runId = shortId();
  ensureProject(state, sweep.entity, sweep.project);
  const run = newRun(state, sweep.entity, sweep.project, runId);
  run.state = 'pending';
  run.sweepName = sweep.name;
  const args: Record<string, { value: unknown }> = {};
  for (const [k, v] of Object.entries(params)) args[k] = { value: v };
  // Pre-created runs have no `_wandb.t`: the official SDK treats them as "not started" (PROTOCOL.md §2.2).
  run.config = { ...args };
  run.configJson = JSON.stringify(args);
  sweep.runIds.push(runId);
  return [{ type: 'run', run_id: runId, program: cfg.program ?? '', args }];
}
