/**
 * GraphQL-over-HTTP client for `POST {base}/graphql` with W&B's Basic `api:<key>` auth.
 * A 200 answer that carries an `errors` array is a failure, as in W&B's own client (genqlient).
 */
import { SkillError, type ErrorCode } from '../errors.js';
import { httpRequest, type HttpTransportOptions, type WandbLogger } from './http.js';
import { createRedactor, redactDeep } from './redact.js';

export interface GraphqlClientOptions extends HttpTransportOptions {
  /** Server base URL, e.g. `https://api.wandb.ai` (a trailing `/` is ignored). */
  baseUrl: string;
  apiKey: string;
  /** Sent as `X-WANDB-USERNAME` (empty when unset, as wandb-core does). */
  username?: string;
  /** Sent as `X-WANDB-USER-EMAIL`. */
  userEmail?: string;
  /** Extra headers for every request (W&B's `WANDB__EXTRA_HTTP_HEADERS`). */
  extraHeaders?: Record<string, string>;
  logger?: WandbLogger;
}

export interface GraphqlRequest {
  query: string;
  operationName: string;
  variables?: Record<string, unknown>;
  /** Per-request override of the transport options (e.g. a shorter timeout). */
  transport?: HttpTransportOptions;
}

export interface GraphqlClient {
  readonly baseUrl: string;
  /** Sends one operation and returns its `data`. Throws `SkillError` on HTTP or GraphQL errors. */
  request<T>(req: GraphqlRequest): Promise<T>;
}

/** The `Authorization` header value for a W&B API key. */
export function basicAuthHeader(apiKey: string): string {
  return `Basic ${Buffer.from(`api:${apiKey}`).toString('base64')}`;
}

/** Strips trailing slashes so `${base}/graphql` never doubles them. */
export function normalizeBaseUrl(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}

/** Picks a code for errors reported inside a 200 answer, from the message text. */
function codeForGraphqlMessage(message: string): ErrorCode {
  if (/not found|could not find|does not exist|no such/i.test(message)) return 'NOT_FOUND';
  if (/permission|unauthori[sz]ed|forbidden|not allowed|access denied/i.test(message)) return 'AUTH_FAILED';
  if (/already exists|conflict/i.test(message)) return 'CONFLICT';
  if (/rate limit|too many requests/i.test(message)) return 'RATE_LIMITED';
  return 'INVALID_INPUT';
}

/** Creates a GraphQL client bound to one server and API key. */
export function createGraphqlClient(options: GraphqlClientOptions): GraphqlClient {
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const url = `${baseUrl}/graphql`;
  const redact = createRedactor([options.apiKey]);
  const headers: Record<string, string> = {
    ...options.extraHeaders,
    'Content-Type': 'application/json',
    Accept: 'application/json',
    Authorization: basicAuthHeader(options.apiKey),
    'X-WANDB-USERNAME': options.username ?? '',
    'X-WANDB-USER-EMAIL': options.userEmail ?? '',
  };

  async function request<T>(req: GraphqlRequest): Promise<T> {
    const { apiKey: _key, baseUrl: _base, username: _u, userEmail: _e, extraHeaders: _h, ...transport } = options;
    const res = await httpRequest({
      ...transport,
      ...req.transport,
      url,
      operation: req.operationName,
      method: 'POST',
      headers,
      body: JSON.stringify({ query: req.query, variables: req.variables ?? {}, operationName: req.operationName }),
      secrets: [options.apiKey],
    });
    let parsed: { data?: unknown; errors?: unknown };
    try {
      parsed = JSON.parse(res.body) as { data?: unknown; errors?: unknown };
    } catch (cause) {
      throw new SkillError('BACKEND_UNAVAILABLE', `${req.operationName}: the server answered with invalid JSON`, {
        details: { operation: req.operationName, status: res.status },
        cause,
      });
    }
    if (Array.isArray(parsed.errors) && parsed.errors.length > 0) {
      const messages = parsed.errors.map((e) =>
        redact(
          e !== null && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string'
            ? (e as { message: string }).message
            : JSON.stringify(e),
        ),
      );
      const first = messages[0] ?? 'unknown error';
      options.logger?.debug({ operation: req.operationName, errors: messages }, 'GraphQL errors');
      throw new SkillError(codeForGraphqlMessage(first), `${req.operationName}: ${messages.join('; ')}`, {
        details: redactDeep({ operation: req.operationName, status: res.status, graphqlErrors: messages }, redact) as Record<string, unknown>,
      });
    }
    if (parsed.data === undefined || parsed.data === null) {
      throw new SkillError('BACKEND_UNAVAILABLE', `${req.operationName}: the server answered without data`, {
        details: { operation: req.operationName, status: res.status },
      });
    }
    options.logger?.debug({ operation: req.operationName, attempts: res.attempts }, 'GraphQL request done');
    return parsed.data as T;
  }

  return { baseUrl, request };
}
