import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import type { Command } from './Command.ts';
import { usageError } from './errors.ts';

/** Options every command takes, before or after its name. */
export const globalOptions = {
  url: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const satisfies ParseArgsOptionsConfig;

export interface ParsedArgs {
  /** undefined: no command named (help or version, or a usage error). */
  readonly command: Command | undefined;
  readonly positionals: string[];
  readonly values: Record<string, string | boolean | undefined>;
}

/**
 * Finds the command (the first word that is neither an option nor a global
 * option's value), then parses the rest strictly against the global and
 * the command's options. Wrong input is a usage error naming what is wrong.
 */
export function parseCommandLine(
  argv: readonly string[],
  commands: readonly Command[],
): ParsedArgs {
  let at = -1;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--') break;
    if (arg === '--url' || arg === '--token') i += 1;
    else if (!arg.startsWith('-') || arg === '-') {
      at = i;
      break;
    }
  }
  const name = at >= 0 ? argv[at] : undefined;
  const command = commands.find((c) => c.name === name);
  if (name !== undefined && !command) {
    throw usageError(
      `unknown command ${JSON.stringify(name)}; the commands are ${commands.map((c) => c.name).join(', ')} (see filegraph --help)`,
    );
  }
  const rest = at >= 0 ? [...argv.slice(0, at), ...argv.slice(at + 1)] : [...argv];
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...globalOptions, ...command?.options },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw usageError(`${message} (see filegraph ${command ? `${command.name} ` : ''}--help)`);
  }
  return { command, positionals: parsed.positionals, values: parsed.values };
}

/** Checks a command's positional count once help has had its chance. */
export function checkArity(command: Command, positionals: readonly string[]): void {
  const { min, max } = command.arity;
  if (positionals.length < min) {
    throw usageError(
      `${command.name} needs more arguments: ${command.usage} (see filegraph ${command.name} --help)`,
    );
  }
  if (positionals.length > max) {
    throw usageError(
      `${command.name} takes at most ${max} argument${max === 1 ? '' : 's'}, got ${positionals.length}: ${command.usage}`,
    );
  }
}

/** A whole number option within bounds, or its default when absent. */
export function intOption(
  values: Readonly<Record<string, string | boolean | undefined>>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || value < min || value > max) {
    throw usageError(
      `--${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw)})`,
    );
  }
  return value;
}
