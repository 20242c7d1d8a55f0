import { seededRandom } from '../../src/seeded-random.js';
// Hostile mutations of valid contexts for the fuzz test, driven by a seeded generator so a failure
// names a case that runs again the same way.

export interface Fixture {
  dir: string;
  env: Record<string, string>;
  runId: string;
  sweepId: string;
  storePath: string;
}

export interface Random {
  int(max: number): number;
  pick<T>(list: readonly T[]): T;
}

/** mulberry32: small, seeded, good enough to spread mutations. */
export function createRandom(seed: number): Random {
  const next = seededRandom(seed);
  const int = (max: number): number => Math.floor(next() * max);
  return { int, pick: (list) => list[int(list.length)] as (typeof list)[number] };
}

const HOSTILE_PATHS = [
  'wandb/skill-store.sqlite',
  'wandb/skill-store.sqlite-wal',
  'wandb/skill-store.sqlite-shm',
  'wandb/skill-store.sqlite-journal',
  'out/../wandb/skill-store.sqlite',
  'wandb',
  '.',
  'notes.txt',
  '/dev/null',
  '/dev/full',
  'a\u0000b',
  '',
  'x'.repeat(5000),
  'payload/a.txt',
  'missing/deeper/file',
];
// Places a report or a download may be pointed at, beyond the collectable ones above.
const WRITE_ONLY_PATHS = ['/proc/self', '/proc/self/mem', '/proc/self/fd'];
const TYPOS = ['initt', 'Log', 'INIT', 'finsh', 'sweeps', 'artefact', 'log ', '', 'query', 'constructor', '__proto__'];
const UNKNOWN_FIELDS = ['run_id', 'metrics', 'sweep_config', 'step', 'config', 'Action', 'constructor', 'x'.repeat(300)];

/** Big enough to hurt an echo; values stay small enough that the store (dumped twice a case) stays small. */
function hugeString(random: Random, size = random.pick([70_000, 300_000])): string {
  return 'Z'.repeat(size);
}

function nested(depth: number, asArray: boolean): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
  return v;
}

function hostileValue(random: Random): unknown {
  return random.pick<() => unknown>([
    () => null,
    () => true,
    () => -1,
    () => 0,
    () => 1e308,
    () => -0.5,
    () => Number.MAX_SAFE_INTEGER,
    // 2^53 + 1 as the JSON text a caller sends: past what a double holds exactly.
    () => JSON.parse('9007199254740993') as number,
    () => Number.NaN,
    () => Number.POSITIVE_INFINITY,
    () => '',
    () => 'x\u0000y',
    () => '../../../../etc/passwd',
    () => [],
    () => [1, 'a', null],
    () => ({}),
    () => ({ _type: 'image', path: '/etc/passwd' }),
    () => ({ _type: 'bogus' }),
    () => JSON.parse('{"__proto__": {"polluted": 1}}') as unknown,
    () => hugeString(random),
    () => nested(random.pick([100, 1000, 10_000]), random.int(2) === 0),
  ])();
}

type Container = Record<string, unknown> | unknown[];

/** Every (container, key) pair reachable in `root`, the root's own fields included. */
function slots(root: Record<string, unknown>): Array<{ parent: Container; key: string | number; path: string }> {
  const out: Array<{ parent: Container; key: string | number; path: string }> = [];
  const visit = (v: Container, path: string): void => {
    const keys: Array<string | number> = Array.isArray(v) ? v.map((_x, i) => i) : Object.keys(v);
    for (const k of keys) {
      const child = (v as Record<string | number, unknown>)[k];
      const p = path === '' ? String(k) : `${path}.${String(k)}`;
      out.push({ parent: v, key: k, path: p });
      if (typeof child === 'object' && child !== null) visit(child as Container, p);
    }
  };
  visit(root, '');
  return out;
}

function setSlot(parent: Container, key: string | number, value: unknown): void {
  // defineProperty, so a key named __proto__ becomes data rather than the prototype.
  Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
}

/** One hostile variant of `base` (deep-copied first); `text` is raw JSON text for the CLI when the mutation needs one. */
export function mutate(base: Record<string, unknown>, random: Random, f: Fixture): { context: unknown; label: string; text?: string } {
  const context = structuredClone(base);
  const all = slots(context);
  const slot = random.pick(all);
  const kind = random.pick(['type', 'type', 'type', 'delete', 'unknown', 'deep', 'huge', 'proto', 'nul', 'path', 'path', 'action', 'step', 'envelope', 'text']);
  let label = `${String(base['action'])}/${kind}@${slot.path}`;
  switch (kind) {
    case 'type':
      setSlot(slot.parent, slot.key, hostileValue(random));
      break;
    case 'delete':
      if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
      else delete slot.parent[slot.key as string];
      break;
    case 'unknown': {
      const objects = all.filter((s) => typeof (s.parent as Record<string, unknown>)[s.key as string] === 'object');
      const target =
        objects.length > 0 && random.int(2) === 0
          ? ((random.pick(objects).parent as Record<string, unknown>)[random.pick(objects).key as string] as Container)
          : context;
      if (!Array.isArray(target) && target !== null && typeof target === 'object') setSlot(target, random.pick(UNKNOWN_FIELDS), hostileValue(random));
      else setSlot(context, random.pick(UNKNOWN_FIELDS), 1);
      break;
    }
    case 'deep':
      setSlot(slot.parent, slot.key, nested(random.pick([65, 200, 10_000]), random.int(2) === 0));
      break;
    case 'huge':
      if (random.int(2) === 0) setSlot(slot.parent, slot.key, hugeString(random));
      else setSlot(context, hugeString(random, 3_000_000), 1); // a 3 MB key: refused, and echoed nowhere in full
      break;
    case 'proto': {
      const target = random.pick([
        context,
        (context['logData'] as Record<string, unknown> | undefined)?.['metrics'],
        (context['runConfig'] as Record<string, unknown> | undefined)?.['config'],
      ]);
      setSlot((target ?? context) as Container, '__proto__', { polluted: 1, loss: 2 });
      break;
    }
    case 'nul': {
      const strings = all.filter((s) => typeof (s.parent as Record<string | number, unknown>)[s.key] === 'string');
      const s = strings.length > 0 ? random.pick(strings) : slot;
      setSlot(s.parent, s.key, `${String((s.parent as Record<string | number, unknown>)[s.key])}\u0000tail`);
      break;
    }
    case 'path': {
      const cfg = (context['artifactConfig'] ?? context['reportConfig']) as Record<string, unknown> | undefined;
      const writes = [...HOSTILE_PATHS, ...WRITE_ONLY_PATHS];
      if (cfg !== undefined) {
        const field = 'downloadPath' in cfg ? 'downloadPath' : 'outputPath' in cfg || context['reportConfig'] !== undefined ? 'outputPath' : 'path';
        const target = random.pick(field === 'path' ? HOSTILE_PATHS : writes);
        setSlot(cfg, field, target);
        label = `${String(base['action'])}/path ${field}=${JSON.stringify(target.slice(0, 40))}`;
      } else {
        // A media file from a hostile place, or a run id that names nothing here.
        const metrics = (context['logData'] as Record<string, unknown> | undefined)?.['metrics'];
        if (metrics !== undefined && random.int(2) === 0) setSlot(metrics as Container, 'img', { _type: 'image', path: random.pick(HOSTILE_PATHS) });
        else setSlot(context, 'runId', random.pick(['nosuchrun', f.runId.toUpperCase(), '..', `${f.runId}/../x`]));
      }
      break;
    }
    case 'action':
      setSlot(context, 'action', random.pick(TYPOS));
      break;
    case 'step': {
      const data = (context['logData'] ?? (context['logData'] = { metrics: { a: 1 } })) as Record<string, unknown>;
      setSlot(data, 'step', random.pick([Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, -1, 1.5, 1e300, 2 ** 53 - 2]));
      break;
    }
    case 'envelope':
      return {
        context: {
          kind: 'skill',
          skill: random.pick([
            { name: 'other', context },
            { context: [context] },
            { name: 'wandb-experiment-tracker', context: { ...context, kind: 'skill' } },
            null,
          ]),
        },
        label,
      };
    case 'text':
      // Raw text only the CLI can carry: malformed JSON, a deep array, a NUL, a huge number.
      return {
        context: base,
        label,
        text: random.pick([
          '{"action":"log",',
          '['.repeat(20_000) + ']'.repeat(20_000),
          `{"action":"log","project":"p","runId":"${f.runId}","logData":{"metrics":{"a":1e999999}}}`,
          `{"action":"init","project":"p\u0000"}`,
          '{"action":"init","project":"p","project":"q"}',
          '"just a string"',
          'null',
          '\ufeff{"action":"init","project":"p"}',
        ]),
      };
  }
  return { context, label };
}
