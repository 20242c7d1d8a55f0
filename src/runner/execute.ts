/**
 * One call through the pipeline: unwrap, validate, settings, dispatch, replicate (online), shape
 * the output. Never throws: any failure becomes an output with `status: "error"`.
 */
import { capWarnings, toErrorPayload } from '../errors.js';
import { actionOf, unwrap } from '../envelope.js';
import { assertValidInput } from '../contract/validate.js';
import type { SkillInput, SkillOutput } from '../contract/types.generated.js';
import type { Settings } from '../settings.js';
import { ERROR_WARNINGS, SUCCESS_WARNINGS, offlineNotice } from '../notices.js';
import type { ActionContext, ActionResult } from '../actions/context.js';
import { ACTIONS } from '../actions/index.js';
import type { RunnerResources } from './resources.js';
import type { ExecuteOptions } from './types.js';

/** What a call has learnt so far: an error output still says the action, mode and store it had. */
interface CallState {
  action: string;
  mode?: Settings['mode'];
  storePath?: string;
  warnings: string[];
}

/** Store first, then the W&B server (online): a network failure only adds a warning. */
async function replicate(r: RunnerResources, ctx: ActionContext, result: ActionResult, runId: string): Promise<Partial<SkillOutput>> {
  const { input, settings } = ctx;
  const { warnings, ...fields } = await (
    await r.replicator.get()
  ).afterCall(ctx, r.stores.storeFor(settings), runId, result.project ?? settings.project, input.action === 'finish');
  if (warnings) for (const w of warnings) ctx.warn(w);
  return fields;
}

async function run(r: RunnerResources, input: SkillInput, call: CallState, options: ExecuteOptions | undefined): Promise<SkillOutput> {
  const settings = r.settingsFor(input);
  call.mode = settings.mode;
  // Every answer says which store it used (a disabled call uses none).
  if (settings.mode !== 'disabled') call.storePath = settings.storePath;
  call.warnings.push(...settings.warnings);
  const ctx = r.contextFor(input, settings, call.warnings, options?.progress);
  const handler = r.loadedHandler(input.action) ?? (await r.loadHandler(input.action));
  const started = r.services.now();
  const result = await handler(ctx);
  if (ctx.logger.isLevelEnabled('info')) ctx.logger.info({ runId: result.runId, ms: r.services.now() - started }, `${input.action} done`);
  let out: SkillOutput = {
    status: 'success',
    action: input.action,
    mode: settings.mode,
    ...(call.storePath !== undefined ? { storePath: call.storePath } : {}),
    ...result,
  };
  if (settings.mode === 'online' && result.runId !== undefined && ACTIONS[input.action].replicated)
    out = { ...out, ...(await replicate(r, ctx, result, result.runId)) };
  const notice = offlineNotice(input, settings, r.stores.get(settings.storePath), r.cache, r.services.now);
  if (notice !== undefined) call.warnings.unshift(notice);
  if (call.warnings.length > 0) out.warnings = capWarnings(call.warnings, ...SUCCESS_WARNINGS);
  return out;
}

function failure(r: RunnerResources, err: unknown, call: CallState): SkillOutput {
  const error = toErrorPayload(err);
  if (error.code === 'INTERNAL') r.services.logger.error({ err, action: call.action }, 'internal error');
  const out: SkillOutput = { status: 'error', action: call.action, error };
  if (call.mode !== undefined) out.mode = call.mode;
  // A path longer than any the OS takes (PATH_MAX) names no store: left out, so the document stays small.
  if (call.storePath !== undefined && call.storePath.length <= 4096) out.storePath = call.storePath;
  if (call.warnings.length > 0) out.warnings = capWarnings(call.warnings, ...ERROR_WARNINGS);
  return out;
}

/** Runs one call with the runner's resources. */
export async function execute(r: RunnerResources, context: unknown, options?: ExecuteOptions): Promise<SkillOutput> {
  const call: CallState = { action: 'unknown', warnings: [] };
  try {
    call.action = actionOf(context);
    return await run(r, assertValidInput(unwrap(context)), call, options);
  } catch (err) {
    return failure(r, err, call);
  }
}
