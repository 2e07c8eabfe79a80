import type { Command } from './Command.ts';
import { settings } from './config.ts';
import { exitCodes } from './errors.ts';

const exitLines = [
  [exitCodes.ok, 'done'],
  [exitCodes.usage, 'usage: a wrong command, option or argument, or no such local path'],
  [exitCodes.refused, 'the server refused; the error names its code (CONFLICT, NOT_FOUND …)'],
  [exitCodes.unreachable, 'the server could not be reached, or what answered is not filegraph'],
  [exitCodes.partial, 'a command on several files did some and not others'],
  [exitCodes.local, 'a local file could not be read or written, or a checksum did not match'],
  [exitCodes.internal, 'a bug in the CLI (the message says what happened)'],
  [exitCodes.interrupted, 'interrupted'],
] as const;

/** `filegraph --help`. */
export function mainHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `filegraph: scripted uploads, listings, downloads and changes on a filegraph server

Usage: filegraph <command> [options]   (filegraph <command> --help for one)

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Options for every command:
${settings.map((s) => `  ${`${s.flag} <${s.flag.slice(2)}>`.padEnd(17)} ${s.doc} (${s.env}${s.default ? `, ${s.default} by default` : ''})`).join('\n')}
  --json            print the result as JSON on stdout, errors as JSON on stderr
  -h, --help        this help, or a command's
  --version         the CLI's version

Exit codes:
${exitLines.map(([code, text]) => `  ${String(code).padStart(3)}  ${text}`).join('\n')}
`;
}

/** `filegraph <command> --help`. */
export function commandHelp(command: Command): string {
  return `Usage: ${command.usage}

${command.help}

Every command also takes --url, --token and --json (see filegraph --help).
`;
}
