/**
 * `filegraph`: wiring only. The command line, environment and streams go
 * to run(); its exit code becomes the process's. Ctrl-C runs the clean-ups
 * commands registered (a partial download is removed) and exits 130.
 */
import { exitCodes } from './errors.ts';
import { run } from './run.ts';

const cleanups = new Set<() => void>();
process.once('SIGINT', () => {
  for (const cleanup of cleanups) cleanup();
  process.stderr.write('\n');
  process.exit(exitCodes.interrupted);
});
// A reader that stops early (`filegraph ls | head`) is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? exitCodes.ok);
  throw error;
});

process.exitCode = await run({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  onInterrupt(cleanup) {
    cleanups.add(cleanup);
    return () => cleanups.delete(cleanup);
  },
});
