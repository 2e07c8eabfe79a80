import { intOption } from '../args.ts';
import type { Command, CommandContext } from '../Command.ts';
import { exitCodes, localError, refused, type CliError, type ExitCode } from '../errors.ts';
import { folderPath } from '../findFile.ts';
import { count, formatSize } from '../format.ts';
import { collectFiles, type LocalFile } from '../localFiles.ts';
import { operations, type ApiFile } from '../operations.ts';
import { uploadAll } from '../uploadAll.ts';

export const upload: Command = {
  name: 'upload',
  summary: 'upload files and folders',
  usage: 'filegraph upload <path…> [--to <folder>] [--overwrite] [--parallel <n>]',
  help: `Uploads files, and folders with everything in them. A file goes into the
folder --to (the top by default) under its own name; a folder goes in with
its own name and keeps its relative paths: \`upload photos --to backup\`
stores backup/photos/2024/beach.jpg. Small files travel together (up to 50,
or the server's limit, and 8 MB a request) as the web UI sends them; a
large file goes alone. Bytes stream from disk: any size costs no memory.

A name that is taken is refused (CONFLICT) unless --overwrite is given.
When a request is refused for one of its files, its other files go again
one by one, so that only the file at fault fails.

  --to <folder>     the folder to upload into (the top by default)
  --overwrite       replace files whose names are taken (they keep their ids)
  --parallel <n>    requests under way at once, 1 to 16 (3)

Shows a progress bar when stderr is a terminal, and a line per uploaded
file. --json prints {"uploaded": [File…], "failed": [{"path", "name",
"error": {"code", "message"}}], "skipped": [{"path", "reason"}]}.
Exits 0 when every file was uploaded, 4 when some were, otherwise with
the first failure's code.`,
  options: {
    to: { type: 'string' },
    overwrite: { type: 'boolean' },
    parallel: { type: 'string' },
  },
  arity: { min: 1, max: Infinity },
  run: runUpload,
};

async function runUpload(context: CommandContext): Promise<ExitCode> {
  const { values, client, output } = context;
  const parallel = intOption(values, 'parallel', 3, 1, 16);
  const overwrite = values.overwrite === true;
  const folder = folderPath(typeof values.to === 'string' ? values.to : '');
  const { files, skipped } = await collectFiles(context.positionals, folder, context.cwd);
  for (const { path, reason } of skipped) output.note(`skipped ${path}: ${reason}`);

  const uploaded: ApiFile[] = [];
  const failed: Array<{ path: string; name: string; error: CliError }> = [];
  const fail = (local: LocalFile, error: CliError) => {
    failed.push({ path: local.path, name: local.name, error });
    output.problem(`${local.path} → ${local.name}`, error);
  };

  const limits =
    files.length === 0
      ? { maxFiles: 1, maxFileSize: Infinity }
      : (await client.query(operations.uploadLimits, {})).uploadLimits;
  const sendable = files.filter((file) => {
    const problem = refusedBeforeSending(file, limits.maxFileSize);
    if (problem) fail(file, problem);
    return !problem;
  });

  const totalBytes = sendable.reduce((sum, file) => sum + file.size, 0);
  const started = performance.now();
  let sent = 0;
  const progress = () =>
    output.progress({
      label: 'uploading',
      bytes: sent,
      totalBytes,
      files: { done: uploaded.length, total: sendable.length },
    });
  await uploadAll(
    client,
    sendable,
    { overwrite, parallel, maxFiles: limits.maxFiles, cwd: context.cwd },
    {
      uploaded(_local, file) {
        uploaded.push(file);
        output.line(`uploaded ${file.name} (${formatSize(file.size)})`);
        progress();
      },
      failed: fail,
      progress(bytes) {
        sent = bytes;
        progress();
      },
    },
  );
  output.endProgress();

  const bytes = uploaded.reduce((sum, file) => sum + file.size, 0);
  const seconds = (performance.now() - started) / 1000;
  output.note(
    `${count(uploaded.length, 'file')} uploaded (${formatSize(bytes)}) in ${seconds.toFixed(1)} s` +
      (failed.length > 0 ? `, ${failed.length} failed` : ''),
  );
  if (!overwrite && failed.some(({ error }) => error.code === 'CONFLICT'))
    output.note('some names are taken: --overwrite replaces those files (they keep their ids)');
  output.result({ uploaded, failed, skipped });
  if (failed.length === 0) return exitCodes.ok;
  if (uploaded.length > 0) return exitCodes.partial;
  return failed[0]?.error.exitCode ?? exitCodes.refused;
}

/** What is refused without a request: the server would refuse it, after all its bytes. */
function refusedBeforeSending(file: LocalFile, maxFileSize: number): CliError | undefined {
  if (file.filename.includes('\\')) {
    // The server's multipart reader keeps only what follows a backslash (a Windows path).
    return localError(
      `the name ${JSON.stringify(file.filename)} has a backslash, which an upload cannot carry`,
      'BAD_NAME',
    );
  }
  if (file.size > maxFileSize) {
    return refused(
      'PAYLOAD_TOO_LARGE',
      `${formatSize(file.size)} is more than the server takes (${formatSize(maxFileSize)} a file)`,
    );
  }
  return undefined;
}
