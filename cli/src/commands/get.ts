import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, unlinkSync } from 'node:fs';
import { rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command, CommandContext } from '../Command.ts';
import { exitCodes, localError, unreachable, usageError, type ExitCode } from '../errors.ts';
import { findFile } from '../findFile.ts';
import { formatSize } from '../format.ts';
import type { ApiFile } from '../operations.ts';

export const get: Command = {
  name: 'get',
  summary: 'download a file and check its SHA-256',
  usage: 'filegraph get <name|id> [-o <file|folder|->]',
  help: `Downloads a file, by full name or id, into the current folder under its
own name, or to -o: a file (replaced if it exists), a folder, or - for
stdout. The bytes stream to disk and their SHA-256 is checked against the
file's checksum; the file appears only once it is complete and checked,
so a failed download leaves nothing behind and replaces nothing.

  -o, --output <path>   where to write it; - writes to stdout

--json prints {"file": File, "path", "bytes", "sha256"} (not with -o -).
Exits 5 (CHECKSUM_MISMATCH) when the bytes do not match.`,
  options: { output: { type: 'string', short: 'o' } },
  arity: { min: 1, max: 1 },
  run: runGet,
};

async function runGet(context: CommandContext): Promise<ExitCode> {
  const { values, client, output } = context;
  const toStdout = values.output === '-';
  if (toStdout && output.json) throw usageError('--json and -o - both write to stdout: choose one');
  const file = await findFile(client, context.positionals[0] ?? '');
  const target = toStdout ? '-' : await targetPath(context, file);
  const { headers, body } = await client.download(file.url);
  // The ETag is the served version's SHA-256: the file may have been replaced since it was looked up.
  const etag = /^"([0-9a-f]{64})"$/.exec(String(headers.etag ?? ''))?.[1];
  const expected = etag ?? file.checksum;
  const total = Number(headers['content-length'] ?? file.size);

  const hash = createHash('sha256');
  let bytes = 0;
  const check = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      output.progress({ label: 'downloading', bytes, totalBytes: total });
      done(null, chunk);
    },
  });

  const partial = toStdout
    ? undefined
    : join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.part`);
  const forget = partial ? context.onInterrupt(() => unlinkQuietly(partial)) : () => {};
  try {
    const sink: NodeJS.WritableStream = partial
      ? createWriteStream(partial, { flags: 'wx' })
      : context.stdout;
    // pipeline passes one stream's error on to the others: the first one says whose it was.
    let first: { local: boolean; error: Error } | undefined;
    body.once('error', (error: Error) => (first ??= { local: false, error }));
    sink.once('error', (error: Error) => (first ??= { local: true, error }));
    try {
      await pipeline(body, check, sink, { end: partial !== undefined });
    } catch (error) {
      const cause = first ?? { local: false, error: error as Error };
      if (cause.local) throw localError(`cannot write ${target}: ${cause.error.message}`);
      throw unreachable(
        `the download broke off after ${formatSize(bytes)}: ${cause.error.message}`,
      );
    } finally {
      output.endProgress();
    }
    const sha256 = hash.digest('hex');
    if (sha256 !== expected || (Number.isFinite(total) && bytes !== total)) {
      throw localError(
        `the bytes received (${bytes}, SHA-256 ${sha256}) are not the file's (${total}, ${expected})` +
          (partial ? '; nothing was written' : ''),
        'CHECKSUM_MISMATCH',
      );
    }
    if (partial) {
      await rename(partial, target).catch((error: Error) => {
        throw localError(`cannot write ${target}: ${error.message}`);
      });
    }
    const done = `downloaded ${file.name} to ${toStdout ? 'stdout' : target} (${formatSize(bytes)}, SHA-256 checked)`;
    // With -o -, stdout carries the bytes: the line goes to stderr.
    if (toStdout) output.note(done);
    else output.line(done);
    output.result({ file, path: target, bytes, sha256 });
    return exitCodes.ok;
  } finally {
    if (partial) await unlink(partial).catch(() => {});
    forget();
  }
}

/** -o as given (into it when it is a folder), or the file's own name here. */
async function targetPath({ values, cwd }: CommandContext, file: ApiFile): Promise<string> {
  const own = file.name.slice(file.name.lastIndexOf('/') + 1);
  if (typeof values.output !== 'string') return resolve(cwd, own);
  const path = resolve(cwd, values.output);
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) return join(path, own);
  return path;
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}
