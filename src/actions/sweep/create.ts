import { SkillError } from '../../errors.js';
import { generateRunId } from '../../runs/names.js';
import { parseSweepConfig, storableSweepConfig, sweepConfigWarnings } from '../../sweeps/index.js';
import { connect } from '../../online/connection.js';
import type { ActionContext, ActionResult } from '../context.js';
import { sweepUrl } from './load.js';
import { createRemoteSweep } from '../../online/sweeps.js';

/**
 * `sweep create`: validates W&B's sweep config (errors name the parameter), then records the sweep
 * (offline: this store runs the search) or creates it on the W&B server and records it too (online:
 * W&B's controller runs the search). The project is the input's, else the config's, else the default.
 */
export async function createSweep(ctx: ActionContext): Promise<ActionResult> {
  const { input, settings } = ctx;
  const raw = input.sweepConfig;
  if (raw === undefined) {
    throw new SkillError('INVALID_INPUT', 'sweep create needs sweepConfig', {
      details: { issues: [{ path: 'sweepConfig', message: 'required by operation "create"' }] },
    });
  }
  // Strict, as W&B refuses the v1 log forms (min/max as exponents) when a sweep is created.
  const config = parseSweepConfig(raw, { strict: true, warn: (m) => ctx.warn(m) });
  for (const w of sweepConfigWarnings(config)) ctx.warn(w);
  const project = input.project ?? config.project ?? settings.project;
  let entity = input.entity ?? config.entity ?? settings.entity ?? null;
  const describe = (id: string, state: string) => ({
    sweepId: id,
    sweepUrl: sweepUrl(ctx, { id, project, entity }),
    project,
    ...(entity !== null ? { entity } : {}),
    sweep: {
      id,
      state,
      method: config.method,
      ...(config.metric ? { metric: config.metric } : {}),
      ...(config.run_cap !== undefined ? { runCap: config.run_cap } : {}),
    },
  });
  if (settings.mode === 'disabled')
    return describe(
      generateRunId((m) => ctx.random(m)),
      'RUNNING',
    );

  let id: string | undefined;
  let remoteId: string | null = null;
  if (settings.mode === 'online') {
    const conn = await connect(ctx);
    entity ??= conn.entity;
    const created = await createRemoteSweep(conn, config, project, entity);
    for (const w of created.configValidationWarnings) ctx.warn(`W&B: ${w}`);
    id = created.name;
    remoteId = created.id;
    entity = created.entity ?? entity;
  }
  const store = ctx.store();
  const { sweeps } = store;
  const record = store.write(() => {
    let sweepId = id;
    if (sweepId === undefined) {
      // Unique in the whole store, so a sweep id alone finds it.
      do sweepId = generateRunId((m) => ctx.random(m));
      while (sweeps.findById(sweepId).length > 0);
    } else if (sweeps.get(project, sweepId) !== undefined) {
      return sweeps.get(project, sweepId) as NonNullable<ReturnType<typeof sweeps.get>>;
    }
    return sweeps.insert({
      id: sweepId,
      project,
      entity,
      config: storableSweepConfig(raw as Record<string, unknown>, config),
      method: config.method,
      state: 'RUNNING',
      seed: String(config.seed ?? sweepId),
      controller: remoteId === null ? 'local' : 'cloud',
      remoteId,
      now: ctx.now() / 1000,
    });
  });
  ctx.logger.info({ sweepId: record.id, controller: record.controller }, 'sweep created');
  return { ...describe(record.id, record.state), storePath: store.path };
}
