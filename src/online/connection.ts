import { SkillError } from '../errors.js';
import type { ActionContext } from '../actions/context.js';
import { createGraphqlClient, type GraphqlClient } from '../wandb/graphql.js';
import type { HttpTransportOptions } from '../wandb/http.js';
import { viewer } from '../wandb/operations.js';
import { appUrlFromBaseUrl } from '../wandb/urls.js';

/** An online session with a W&B server: the client, the resolved entity and the transport options. */
export interface Connection {
  client: GraphqlClient;
  baseUrl: string;
  apiKey: string;
  appUrl: string;
  /** The entity runs go to: the input's/WANDB_ENTITY, else the viewer's default entity. */
  entity: string;
  /** Transport options for file streams and uploads (same fetch, deadline and logger). */
  transport: HttpTransportOptions;
}

export interface ConnectOptions {
  /** An absolute deadline (ms since epoch) for everything done with this connection. */
  deadlineMs?: number;
}

/**
 * Connects to the W&B server of the settings (online mode only). The viewer's default entity is
 * asked once per runner and cached in `ctx.cache`.
 */
export async function connect(ctx: ActionContext, options: ConnectOptions = {}): Promise<Connection> {
  const { settings } = ctx;
  if (settings.apiKey === undefined) {
    throw new SkillError('AUTH_FAILED', 'online mode needs a W&B API key (WANDB_API_KEY or ~/.netrc)', {
      details: { issues: [{ path: 'WANDB_API_KEY', message: 'not set' }] },
    });
  }
  const transport: HttpTransportOptions = {
    fetch: ctx.fetch as NonNullable<HttpTransportOptions['fetch']>,
    logger: ctx.logger,
    timeoutMs: settings.httpTimeoutMs,
    // An absolute deadline for every request and retry wait of this connection (the transport's own
    // deadlineMs is per request).
    ...(options.deadlineMs !== undefined ? { signal: AbortSignal.timeout(Math.max(1, options.deadlineMs - Date.now())) } : {}),
  };
  const client = createGraphqlClient({
    baseUrl: settings.baseUrl,
    apiKey: settings.apiKey,
    // Who made the run (WANDB_USERNAME, else the OS user), as W&B's SDK sends it.
    username: settings.username,
    userEmail: settings.env.WANDB_USER_EMAIL ?? '',
    ...transport,
  });
  let entity = settings.entity;
  if (entity === undefined) {
    const key = `viewer-entity:${settings.baseUrl}`;
    entity = ctx.cache.get(key) as string | undefined;
    if (entity === undefined) {
      const v = await viewer(client);
      if (v === null || typeof v.entity !== 'string' || v.entity === '') {
        throw new SkillError('AUTH_FAILED', 'the W&B server did not accept the API key (no viewer)');
      }
      entity = v.entity;
      ctx.cache.set(key, entity);
    }
  }
  return {
    client,
    baseUrl: settings.baseUrl,
    apiKey: settings.apiKey,
    appUrl: appUrlFromBaseUrl(settings.baseUrl, settings.appUrl),
    entity,
    transport,
  };
}
