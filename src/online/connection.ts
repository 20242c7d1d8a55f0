import { SkillError } from '../errors.js';
import { createGraphqlClient, type GraphqlClient } from '../wandb/graphql.js';
import type { HttpTransportOptions } from '../wandb/http.js';
import { viewer } from '../wandb/operations.js';
import { appUrlFromBaseUrl } from '../wandb/urls.js';
import { redactUrl } from '../redact-url.js';
import { recentRefusal, rememberingFetch, REFUSAL_MEMORY_MS } from './reachability.js';
import type { OnlineScope } from './scope.js';

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
 * asked once per runner and cached in `scope.cache`. A server that refused this runner's connection
 * less than 30 s ago is not asked again: BACKEND_UNAVAILABLE at once.
 */
export async function connect(scope: OnlineScope, options: ConnectOptions = {}): Promise<Connection> {
  const { settings } = scope;
  if (settings.apiKey === undefined) {
    throw new SkillError('AUTH_FAILED', 'online mode needs a W&B API key (WANDB_API_KEY or ~/.netrc)', {
      details: { issues: [{ path: 'WANDB_API_KEY', message: 'not set' }] },
    });
  }
  const refused = recentRefusal(scope, settings.baseUrl);
  if (refused !== undefined) {
    const ago = Math.max(0, Math.round((scope.now() - refused.at) / 1000));
    throw new SkillError(
      'BACKEND_UNAVAILABLE',
      `the W&B server at ${redactUrl(settings.baseUrl)} refused the connection ${ago} s ago (${refused.code}); not tried again for ${REFUSAL_MEMORY_MS / 1000} s`,
      {
        details: { unreachable: refused.code },
      },
    );
  }
  const transport: HttpTransportOptions = {
    fetch: rememberingFetch(scope, settings.baseUrl, scope.fetch as NonNullable<HttpTransportOptions['fetch']>),
    logger: scope.logger,
    timeoutMs: settings.httpTimeoutMs,
    sleep: scope.sleep,
    ...(scope.retry?.wandb !== undefined ? { retry: scope.retry.wandb } : {}),
    // An absolute deadline for every request and retry wait of this connection (the transport's own
    // deadlineMs is per request).
    ...(options.deadlineMs !== undefined ? { signal: AbortSignal.timeout(Math.max(1, options.deadlineMs - scope.now())) } : {}),
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
    entity = scope.cache.get(key) as string | undefined;
    if (entity === undefined) {
      const v = await viewer(client);
      if (v === null || typeof v.entity !== 'string' || v.entity === '') {
        throw new SkillError('AUTH_FAILED', 'the W&B server did not accept the API key (no viewer)');
      }
      entity = v.entity;
      scope.cache.set(key, entity);
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
