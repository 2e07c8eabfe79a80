/**
 * Configuration as a documented schema: every setting names its environment
 * variable, its default and one line of doc. A service reads its schema once at
 * start-up; any wrong value stops it with a message naming the variable.
 */

export type Env = Readonly<Record<string, string | undefined>>;

export interface Setting<T> {
  readonly env: string;
  readonly doc: string;
  /** The default as it would be written in the environment; undefined: none. */
  readonly fallback: string | undefined;
  /** What a valid value looks like, for error messages and the README. */
  readonly expected: string;
  /** Secrets are never echoed back in error messages. */
  readonly secret: boolean;
  read(raw: string | undefined): T;
}

export type Schema = Readonly<Record<string, Setting<unknown>>>;
export type ConfigOf<S extends Schema> = { readonly [K in keyof S]: ReturnType<S[K]['read']> };

/** Parses a raw value or returns undefined when it does not fit. */
type Parser<T> = (raw: string) => T | undefined;

export interface Kind<T> {
  readonly expected: string;
  readonly parse: Parser<T>;
}

/** Thrown by a parser whose value has the right shape but cannot be used: the reason goes into the message. */
export class Unfit extends Error {}

interface Options {
  readonly secret?: boolean;
}

class InvalidSetting extends Error {}

function required<T>(
  env: string,
  doc: string,
  kind: Kind<T>,
  fallback: string | undefined,
  options: Options = {},
): Setting<T> {
  return {
    env,
    doc,
    fallback,
    expected: kind.expected,
    secret: options.secret ?? false,
    read(raw) {
      const value = raw === undefined || raw === '' ? fallback : raw;
      if (value === undefined) throw new InvalidSetting(`${env} is required: ${kind.expected}`);
      let parsed: T | undefined;
      try {
        parsed = kind.parse(value.trim());
      } catch (error) {
        if (!(error instanceof Unfit)) throw error;
        throw new InvalidSetting(`${env}: ${error.message}`);
      }
      if (parsed === undefined) {
        const shown = options.secret ? '' : ` (got ${JSON.stringify(value)})`;
        throw new InvalidSetting(`${env} must be ${kind.expected}${shown}`);
      }
      return parsed;
    },
  };
}

/** A setting with a default (or required when `fallback` is undefined). */
export function setting<T>(
  env: string,
  doc: string,
  kind: Kind<T>,
  fallback: string | undefined,
  options?: Options,
): Setting<T> {
  return required(env, doc, kind, fallback, options);
}

/** A setting that may be left unset: it reads as undefined. */
export function optional<T>(
  env: string,
  doc: string,
  kind: Kind<T>,
  options?: Options,
): Setting<T | undefined> {
  const inner = required(env, doc, kind, undefined, options);
  return {
    ...inner,
    read: (raw) => (raw === undefined || raw.trim() === '' ? undefined : inner.read(raw)),
  };
}

export const kinds = {
  text: (expected = 'a non-empty string'): Kind<string> => ({
    expected,
    parse: (raw) => (raw.length > 0 ? raw : undefined),
  }),

  integer: (min: number, max: number): Kind<number> => ({
    expected: `an integer from ${min} to ${max}`,
    parse: (raw) => {
      if (!/^-?\d+$/.test(raw)) return undefined;
      const n = Number(raw);
      return Number.isSafeInteger(n) && n >= min && n <= max ? n : undefined;
    },
  }),

  port: (): Kind<number> => kinds.integer(0, 65535),

  boolean: (): Kind<boolean> => ({
    expected: 'true or false (also 1/0, yes/no)',
    parse: (raw) => {
      const v = raw.toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      return undefined;
    },
  }),

  oneOf: <const T extends string>(values: readonly T[]): Kind<T> => ({
    expected: `one of ${values.join(', ')}`,
    parse: (raw) => values.find((v) => v === raw.toLowerCase()),
  }),

  /** A size in bytes: 1048576, 512KiB, 16MiB, 1GiB, 2TiB (also KB/MB/GB, powers of 1000). */
  bytes: (min = 0): Kind<number> => ({
    expected: `a size such as 1048576, 64KiB, 16MiB or 1GiB (at least ${min} bytes)`,
    parse: (raw) => {
      const n = parseBytes(raw);
      return n !== undefined && n >= min ? n : undefined;
    },
  }),

  /** A duration: 500ms, 10s, 5m, 1h, 30d, or a number of milliseconds. */
  duration: (minMs = 0): Kind<number> => ({
    expected: `a duration such as 500ms, 10s, 5m, 1h or 30d${minMs > 0 ? ` (at least ${minMs} ms)` : ''}`,
    parse: (raw) => {
      const ms = parseDuration(raw);
      return ms !== undefined && ms >= minMs ? ms : undefined;
    },
  }),

  url: (protocols: readonly string[] = ['http:', 'https:']): Kind<URL> => ({
    expected: `a URL (${protocols.join(' or ')})`,
    parse: (raw) => {
      if (!URL.canParse(raw)) return undefined;
      const url = new URL(raw);
      return protocols.includes(url.protocol) ? url : undefined;
    },
  }),

  /** Comma-separated http(s) origins (scheme, host, port: no path), e.g. https://files.example.com; empty: none. */
  origins: (): Kind<readonly string[]> => ({
    expected: 'comma-separated origins such as https://files.example.com,http://nas.lan:4000',
    parse: (raw) => {
      const out: string[] = [];
      for (const item of raw.split(',').map((o) => o.trim())) {
        if (item === '') continue;
        if (!URL.canParse(item)) return undefined;
        const url = new URL(item);
        const bare = url.pathname === '/' && !url.search && !url.hash && !url.username;
        if (!['http:', 'https:'].includes(url.protocol) || !bare || url.password) return undefined;
        if (!out.includes(url.origin)) out.push(url.origin);
      }
      return out;
    },
  }),

  /** host:port or an http(s) URL, as Consul's own CONSUL_HTTP_ADDR takes it. */
  httpAddress: (): Kind<URL> => ({
    expected: 'host:port or an http(s) URL, e.g. 127.0.0.1:8500',
    parse: (raw) => {
      const withScheme = /^https?:\/\//.test(raw) ? raw : `http://${raw}`;
      return URL.canParse(withScheme) ? new URL(withScheme) : undefined;
    },
  }),

  /** Comma-separated name=url pairs, e.g. files=http://files:4001/graphql. */
  namedUrls: (): Kind<ReadonlyArray<{ name: string; url: string }>> => ({
    expected: 'comma-separated name=url pairs, e.g. files=http://127.0.0.1:4001/graphql',
    parse: (raw) => {
      const pairs = raw
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean);
      const out: Array<{ name: string; url: string }> = [];
      for (const pair of pairs) {
        const at = pair.indexOf('=');
        const name = pair.slice(0, at).trim();
        const url = pair.slice(at + 1).trim();
        if (at <= 0 || !/^[a-z][a-z0-9_-]*$/i.test(name) || !URL.canParse(url)) return undefined;
        if (out.some((p) => p.name === name)) return undefined;
        out.push({ name, url });
      }
      return out.length > 0 ? out : undefined;
    },
  }),
} as const;

const byteUnits: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

export function parseBytes(raw: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(raw.trim());
  if (!match) return undefined;
  const unit = byteUnits[(match[2] ?? '').toLowerCase()];
  if (unit === undefined) return undefined;
  const n = Math.round(Number(match[1]) * unit);
  return Number.isSafeInteger(n) ? n : undefined;
}

const durationUnits: Record<string, number> = {
  '': 1,
  ms: 1,
  s: 1e3,
  m: 60e3,
  h: 3600e3,
  d: 86_400e3,
};

export function parseDuration(raw: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|)$/i.exec(raw.trim());
  if (!match) return undefined;
  return Math.round(Number(match[1]) * (durationUnits[(match[2] ?? '').toLowerCase()] ?? NaN));
}

/** Formats a byte count for people: 1.5 GiB, 512 KiB, 12 B. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || Number.isInteger(value) ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Reads every setting of a schema from an environment object. Collects all
 * problems before failing, so one start-up names every wrong variable.
 */
export function readConfig<S extends Schema>(schema: S, env: Env): ConfigOf<S> {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(schema)) {
    try {
      out[key] = item.read(env[item.env]);
    } catch (error) {
      if (!(error instanceof InvalidSetting)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out as ConfigOf<S>;
}

/** Rows for the README's configuration table: variable, default, doc. */
export function describeSchema(
  schema: Schema,
): Array<{ env: string; fallback: string; doc: string }> {
  return Object.values(schema).map((item) => ({
    env: item.env,
    fallback: item.fallback ?? '',
    doc: item.doc,
  }));
}

/**
 * For entry points: reads the configuration, or explains what is wrong on
 * stderr and exits 1 — a bad setting is a message for the operator, not a stack trace.
 */
export function configOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
