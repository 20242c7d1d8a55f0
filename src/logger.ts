import { pino, type Logger } from 'pino';

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

export interface LoggerOptions {
  level?: string;
  /** A file descriptor or stream; stderr (2) by default, so stdout stays the JSON result. */
  destination?: number | NodeJS.WritableStream;
}

/** A pino logger writing to stderr with secrets redacted. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const dest = options.destination ?? 2;
  return pino(
    { name: 'wandb-skill', level: options.level ?? 'warn', redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    typeof dest === 'number' ? pino.destination({ fd: dest, sync: true }) : dest,
  );
}
