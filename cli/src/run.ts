import pkg from '../package.json' with { type: 'json' };
import { checkArity, parseCommandLine } from './args.ts';
import { Client } from './Client.ts';
import type { CommandContext } from './Command.ts';
import { commands } from './commands.ts';
import { endpointFrom } from './config.ts';
import { asCliError, exitCodes, type ExitCode } from './errors.ts';
import { commandHelp, mainHelp } from './help.ts';
import { Output, type OutputStream } from './Output.ts';

export interface Environment {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdout: OutputStream & NodeJS.WritableStream;
  readonly stderr: OutputStream;
  readonly onInterrupt: CommandContext['onInterrupt'];
}

/** The whole CLI: a command line in, output written, an exit code out. Never throws. */
export async function run(environment: Environment): Promise<ExitCode> {
  const { stdout, stderr } = environment;
  // Until the command line is read, errors are for people unless it asks for JSON anywhere.
  let output = new Output({ stdout, stderr }, environment.argv.includes('--json'));
  try {
    const { command, positionals, values } = parseCommandLine(environment.argv, commands);
    output = new Output({ stdout, stderr }, values.json === true);
    if (values.version) {
      stdout.write(`${pkg.version}\n`);
      return exitCodes.ok;
    }
    if (values.help) {
      stdout.write(command ? commandHelp(command) : mainHelp(commands));
      return exitCodes.ok;
    }
    if (!command) {
      stderr.write(mainHelp(commands));
      return exitCodes.usage;
    }
    checkArity(command, positionals);
    const client = new Client(
      endpointFrom(
        {
          url: typeof values.url === 'string' ? values.url : undefined,
          token: typeof values.token === 'string' ? values.token : undefined,
        },
        environment.env,
      ),
    );
    return await command.run({
      positionals,
      values,
      client,
      output,
      stdout,
      cwd: environment.cwd,
      onInterrupt: environment.onInterrupt,
    });
  } catch (caught) {
    const error = asCliError(caught);
    output.error(error);
    return error.exitCode;
  }
}
