import { createRequire } from 'node:module';
import type { Logger, LoggerOptions as PinoOptions, DestinationStream } from 'pino';
import { redactUrl, redactUrlsInText } from './redact-url.js';

/** Paths pino must never print: API keys and authorization headers, wherever they sit. */
export const REDACT_PATHS = [
  'apiKey',
  '*.apiKey',
  'api_key',
  'authorization',
  'Authorization',
  'headers.authorization',
  'headers.Authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
];

/** Fields that hold a URL: logged with its secrets masked (userinfo, query values, hook tokens). */
export const URL_PATHS = ['url', '*.url', 'webhook', '*.webhook', 'location', '*.location'];

/** pino's censor: URLs keep what is safe to show, every other redacted path is replaced. */
function censor(value: unknown, path: string[]): unknown {
  const key = path[path.length - 1];
  if (typeof value === 'string' && (key === 'url' || key === 'webhook' || key === 'location')) return redactUrl(value);
  return '[redacted]';
}

export interface LoggerOptions {
  level?: string;
  /**
   * A file descriptor or stream, or a function giving the stream on the first message (the CLI's
   * process.stderr is built only if something is logged); stderr (2) by default, so stdout stays the JSON result.
   */
  destination?: number | NodeJS.WritableStream | (() => NodeJS.WritableStream);
}

type PinoModule = {
  pino: ((opts: PinoOptions, dest: DestinationStream | NodeJS.WritableStream) => Logger) & { destination: (o: object) => DestinationStream };
};

const LEVEL_VALUES: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

/**
 * A pino logger writing to stderr with secrets redacted. pino itself is loaded on the first message
 * at an enabled level: a one-call CLI process that logs nothing does not pay its start-up (about 20 ms).
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'warn';
  let real: Logger | undefined;
  const load = (): Logger => {
    if (real) return real;
    const { pino } = createRequire(import.meta.url)('pino') as PinoModule;
    const given = options.destination ?? 2;
    const dest = typeof given === 'function' ? given() : given;
    real = pino(
      {
        name: 'wandb-skill',
        level,
        redact: { paths: [...REDACT_PATHS, ...URL_PATHS], censor },
        // The last line of defence: a URL inside any message or error text (fetch echoes URLs) is masked.
        hooks: { streamWrite: (line: string) => redactUrlsInText(line) },
      },
      typeof dest === 'number' ? pino.destination({ fd: dest, sync: true }) : dest,
    );
    return real;
  };
  return lazyLogger(load, level, {});
}

function lazyLogger(load: () => Logger, level: string, bindings: Record<string, unknown>): Logger {
  const threshold = LEVEL_VALUES[level] ?? 40;
  const target = (): Logger => (Object.keys(bindings).length === 0 ? load() : load().child(bindings));
  const at =
    (name: string) =>
    (...args: unknown[]) => {
      if ((LEVEL_VALUES[name] as number) < threshold) return;
      (target() as unknown as Record<string, (...a: unknown[]) => void>)[name]?.(...args);
    };
  const logger = {
    level,
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    fatal: at('fatal'),
    silent: () => {},
    isLevelEnabled: (name: string) => (LEVEL_VALUES[name] ?? 0) >= threshold,
    child: (more: Record<string, unknown>) => lazyLogger(load, level, { ...bindings, ...more }),
    bindings: () => bindings,
  };
  return logger as unknown as Logger;
}
