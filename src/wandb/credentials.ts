/**
 * API key lookup as W&B's SDK does it (PROTOCOL.md §1.3): explicit key, else `WANDB_API_KEY`, else the
 * `.netrc` entry for the base URL's netloc. The environment and home directory are arguments: only
 * the settings module reads `process.env`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type ApiKeySource = 'explicit' | 'env' | 'netrc';

export interface ResolveApiKeyOptions {
  baseUrl: string;
  apiKey?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  homedir: string;
  /** Defaults to `process.platform === 'win32'` semantics off (`~/.netrc` fallback). */
  windows?: boolean;
}

export interface ApiKeyResolution {
  apiKey: string;
  source: ApiKeySource;
  /** The netrc file used, when `source` is `netrc`. */
  netrcPath?: string;
}

export interface NetrcEntry {
  /** Machine name, or `undefined` for the `default` entry. */
  machine: string | undefined;
  login?: string;
  password?: string;
  account?: string;
}

/** The netloc (host[:port], as written) of a URL, the key W&B uses in `.netrc`. */
export function netlocOf(baseUrl: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(baseUrl.trim());
  const authority = m?.[1] ?? baseUrl.trim();
  const at = authority.lastIndexOf('@');
  return at >= 0 ? authority.slice(at + 1) : authority;
}

/** The `.netrc` path W&B would use: `$NETRC`, else `~/.netrc` or `~/_netrc` if present, else the platform default. */
export function netrcPath(
  env: Readonly<Record<string, string | undefined>>,
  homedir: string,
  options: { windows?: boolean; exists?: (path: string) => boolean } = {},
): string {
  const explicit = env['NETRC'];
  if (explicit !== undefined && explicit !== '') return explicit;
  const exists = options.exists ?? existsSync;
  const dot = join(homedir, '.netrc');
  const underscore = join(homedir, '_netrc');
  if (exists(dot)) return dot;
  if (exists(underscore)) return underscore;
  return options.windows === true ? underscore : dot;
}

/** Splits netrc text into tokens; supports `"quoted"` (with backslash escapes), `'quoted'` and `#` comments. */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ' '))) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '"' || c === "'") {
      let tok = '';
      i++;
      while (i < text.length && text[i] !== c) {
        if (c === '"' && text[i] === '\\' && i + 1 < text.length) i++;
        tok += text[i];
        i++;
      }
      i++;
      tokens.push(tok);
    } else {
      let tok = '';
      while (i < text.length && !/\s/.test(text[i] as string)) {
        tok += text[i];
        i++;
      }
      tokens.push(tok);
    }
  }
  return tokens;
}

/** Parses `.netrc` text (machine/default/login/password/account; `macdef` bodies skipped). */
export function parseNetrc(text: string): NetrcEntry[] {
  // A macdef body runs to the next blank line; remove bodies before tokenising.
  const cleaned = text.replace(/(^|\s)macdef\s+\S+[^\n]*\n[\s\S]*?(\n\s*\n|$)/g, '$1\n');
  const tokens = tokenize(cleaned);
  const entries: NetrcEntry[] = [];
  let current: NetrcEntry | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    if (tok === 'machine') {
      current = { machine: tokens[++i] };
      entries.push(current);
    } else if (tok === 'default') {
      current = { machine: undefined };
      entries.push(current);
    } else if (current !== undefined && (tok === 'login' || tok === 'password' || tok === 'account')) {
      const value = tokens[++i];
      if (value !== undefined) current[tok] = value;
    }
  }
  return entries;
}

/** The password (API key) for a machine; the first matching entry wins, `default` last. */
export function netrcPassword(text: string, machine: string): string | undefined {
  const entries = parseNetrc(text);
  const exact = entries.find((e) => e.machine === machine);
  const chosen = exact ?? entries.find((e) => e.machine === undefined);
  return chosen?.password;
}

/** Finds the API key; `undefined` when there is none (the caller then works offline). */
export function resolveApiKey(options: ResolveApiKeyOptions): ApiKeyResolution | undefined {
  const explicit = options.apiKey?.trim();
  if (explicit !== undefined && explicit !== '') return { apiKey: explicit, source: 'explicit' };
  const fromEnv = options.env['WANDB_API_KEY']?.trim();
  if (fromEnv !== undefined && fromEnv !== '') return { apiKey: fromEnv, source: 'env' };
  const path = netrcPath(options.env, options.homedir, options.windows === undefined ? {} : { windows: options.windows });
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const key = netrcPassword(text, netlocOf(options.baseUrl))?.trim();
  if (key === undefined || key === '') return undefined;
  return { apiKey: key, source: 'netrc', netrcPath: path };
}
