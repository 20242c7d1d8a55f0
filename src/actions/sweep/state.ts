import { SkillError } from '../../errors.js';
import type { RunRecord } from '../../store/index.js';
import type { SweepRecord, SweepState } from '../../store/sweeps.js';
import type { ActionContext, ActionResult } from '../context.js';
import { endRun, findSweep } from '../../sweep-runs/index.js';
import { requireSweepId, sweepUrl } from './load.js';
import { setRemoteState } from '../../online/sweeps.js';
import { describeSweep } from './status.js';

export type StateOperation = 'pause' | 'resume' | 'stop' | 'cancel';

const TARGET: Record<StateOperation, SweepState> = { pause: 'PAUSED', resume: 'RUNNING', stop: 'FINISHED', cancel: 'CANCELED' };

/**
 * Which states each operation may leave, as W&B's client allows them: pause from RUNNING/PAUSED;
 * stop and cancel from any state that still schedules; cancel also from FINISHED, since a stopped
 * sweep's runs may still be running. Resume works from any state (W&B's `sweep --resume`).
 */
const ALLOWED_FROM: Record<StateOperation, readonly SweepState[]> = {
  pause: ['RUNNING', 'PAUSED'],
  resume: ['RUNNING', 'PAUSED', 'FINISHED', 'CANCELED'],
  stop: ['RUNNING', 'PAUSED', 'FINISHED'],
  cancel: ['RUNNING', 'PAUSED', 'FINISHED', 'CANCELED'],
};

/**
 * `sweep pause|resume|stop|cancel`. stop: FINISHED, no new runs, running runs go on. cancel:
 * CANCELED, and the sweep's running and pending runs end as killed (their agents see it and stop
 * their children). Online, a cloud sweep's state changes on the server first.
 */
export async function changeSweepState(ctx: ActionContext, operation: StateOperation): Promise<ActionResult> {
  const id = requireSweepId(ctx, operation);
  const store = ctx.store();
  const before = findSweep(ctx.settings, store, id);
  const target = TARGET[operation];
  check(before, operation);
  if (before.controller === 'cloud') {
    if (ctx.settings.mode !== 'online') {
      throw new SkillError('CONFLICT', `sweep ${before.id} lives on the W&B server; change its state in online mode`, {
        details: { issues: [{ path: 'mode', message: 'this sweep needs online mode' }] },
      });
    }
    if (before.state !== target) await setRemoteState(ctx, before, target);
  }
  const nowSec = ctx.now() / 1000;
  const { sweeps } = store;
  const result = store.write(() => {
    const record = findSweep(ctx.settings, store, id);
    check(record, operation);
    if (record.state === target) ctx.warn(`sweep ${record.id} was already ${target}; nothing changed`);
    else sweeps.setState(record.key, target, target === 'FINISHED' ? 'stopped' : null, nowSec);
    const killed: string[] = [];
    if (operation === 'cancel') {
      for (const runId of sweeps.runIds(record.project, record.id)) {
        const run = store.runs.get(record.project, runId) as RunRecord;
        if (run.state !== 'running' && run.state !== 'pending') continue;
        sweeps.markStop(run.key, record.key, 'the sweep was cancelled', nowSec);
        if (endRun(store, run, 'killed', null, nowSec)) killed.push(run.id);
      }
    }
    const after = sweeps.get(record.project, record.id) as SweepRecord;
    return { after, killed, sweep: describeSweep(ctx, store, after) };
  });
  if (result.killed.length > 0) ctx.logger.info({ sweepId: id, killed: result.killed }, 'sweep cancelled: runs killed');
  return {
    sweepId: result.after.id,
    sweepUrl: sweepUrl(ctx, result.after),
    project: result.after.project,
    ...(result.after.entity !== null ? { entity: result.after.entity } : {}),
    sweep: { ...result.sweep, ...(operation === 'cancel' ? { killedRuns: result.killed } : {}) },
  };
}

function check(sweep: SweepRecord, operation: StateOperation): void {
  if (ALLOWED_FROM[operation].includes(sweep.state)) return;
  throw new SkillError('CONFLICT', `sweep ${sweep.id} is ${sweep.state}; it cannot ${operation}`, {
    details: { state: sweep.state, issues: [{ path: 'operation', message: `not allowed while the sweep is ${sweep.state}` }] },
  });
}
