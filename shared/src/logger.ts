/**
 * One structured logger for every service: JSON lines in containers, a short
 * readable line in a terminal, nothing in tests. Fields bound with `child`
 * (service, requestId) follow every line written through it.
 */

export const logLevels = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof logLevels)[number];
export const logFormats = ['auto', 'json', 'pretty', 'silent'] as const;
export type LogFormat = (typeof logFormats)[number];

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  readonly level: LogLevel;
  readonly format: LogFormat;
  readonly fields?: LogFields;
  /** Where lines go; defaults to stdout. */
  readonly write?: (line: string) => void;
  readonly isTerminal?: boolean;
  /** Also given every line as JSON, whatever the format, silent included: the log shipper (LOGS_URL). */
  readonly ship?: (line: string) => void;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const colour: Record<LogLevel, string> = {
  debug: '\x1b[90m',
  info: '\x1b[36m',
  warn: '\x1b[33m',
  error: '\x1b[31m',
};

/** Errors become plain objects so JSON.stringify keeps their message and stack. */
function serialise(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const error: Record<string, unknown> = { name: value.name, message: value.message };
  const code = (value as { code?: unknown }).code;
  if (code !== undefined) error.code = code;
  if (value.stack) error.stack = value.stack;
  if (value.cause !== undefined) error.cause = serialise(value.cause);
  return error;
}

function jsonLine(level: LogLevel, message: string, fields: LogFields): string {
  const record: Record<string, unknown> = { time: new Date().toISOString(), level, msg: message };
  for (const [key, value] of Object.entries(fields)) record[key] = serialise(value);
  return JSON.stringify(record);
}

function prettyLine(level: LogLevel, message: string, fields: LogFields): string {
  const { service, err, ...rest } = fields;
  const time = new Date().toISOString().slice(11, 23);
  const who = typeof service === 'string' ? `${service} ` : '';
  const extra = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(serialise(v))}`)
    .join(' ');
  const error = err instanceof Error ? `\n  ${err.stack ?? err.message}` : '';
  return `${time} ${colour[level]}${level.padEnd(5)}\x1b[0m ${who}${message}${extra ? ` ${extra}` : ''}${error}`;
}

export function createLogger(options: LoggerOptions): Logger {
  const { level, format, ship } = options;
  if (format === 'silent' && !ship) return silentLogger;
  const write =
    format === 'silent'
      ? undefined
      : (options.write ?? ((line: string) => process.stdout.write(`${line}\n`)));
  const pretty =
    format === 'pretty' || (format === 'auto' && (options.isTerminal ?? process.stdout.isTTY));
  const threshold = rank[level];

  const make = (bound: LogFields): Logger => {
    const log = (at: LogLevel) => (message: string, fields?: LogFields) => {
      if (rank[at] < threshold) return;
      const all = fields ? { ...bound, ...fields } : bound;
      // One JSON serialisation serves stdout and the shipper alike.
      const json = pretty && !ship ? undefined : jsonLine(at, message, all);
      if (write) write(pretty ? prettyLine(at, message, all) : (json as string));
      if (ship) ship(json as string);
    };
    return {
      debug: log('debug'),
      info: log('info'),
      warn: log('warn'),
      error: log('error'),
      child: (fields) => make({ ...bound, ...fields }),
    };
  };
  return make(options.fields ?? {});
}

const noop = () => {};
export const silentLogger: Logger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger,
};
