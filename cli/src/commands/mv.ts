import type { Command, CommandContext } from '../Command.ts';
import { exitCodes, usageError, type ExitCode } from '../errors.ts';
import { findFile } from '../findFile.ts';
import { count } from '../format.ts';
import { operations } from '../operations.ts';

export const mv: Command = {
  name: 'mv',
  summary: 'rename or move a file, or move a folder',
  usage: 'filegraph mv <name|id> <new name>  |  filegraph mv --folder <path> <to>',
  help: `Gives a file (by full name or id) a new full name, which may put it in
another folder; a new name ending in "/" keeps the file's own name in that
folder. The file keeps its id, and no bytes are copied. A name that is
taken is refused (CONFLICT) unless --overwrite (the other file goes to
the trash).

With --folder, moves every file in the folder <path> into the folder <to>,
which must not exist yet.

  --overwrite   replace a file that has the new name (a file only)
  --folder      move a whole folder

--json prints {"file": File, "from": "<old name>"}, or with --folder
{"moved": <count>, "from": "<path>", "to": "<to>"}.`,
  options: { folder: { type: 'boolean' }, overwrite: { type: 'boolean' } },
  arity: { min: 2, max: 2 },
  run(context) {
    if (context.values.folder && context.values.overwrite)
      throw usageError('--overwrite is for a file: moving a folder never replaces one');
    return context.values.folder ? moveFolder(context) : renameFile(context);
  },
};

async function renameFile({
  positionals,
  values,
  client,
  output,
}: CommandContext): Promise<ExitCode> {
  const [ref = '', newName = ''] = positionals;
  const file = await findFile(client, ref);
  const name = newName.endsWith('/')
    ? `${newName}${file.name.slice(file.name.lastIndexOf('/') + 1)}`
    : newName;
  const { renameFile: renamed } = await client.query(operations.renameFile, {
    id: file.id,
    name,
    overwrite: values.overwrite === true,
  });
  output.line(`renamed ${file.name} to ${renamed.name}`);
  output.result({ file: renamed, from: file.name });
  return exitCodes.ok;
}

async function moveFolder({ positionals, client, output }: CommandContext): Promise<ExitCode> {
  const [from = '', to = ''] = positionals;
  const { moveFolder: moved } = await client.query(operations.moveFolder, {
    path: from,
    to,
  });
  output.line(`moved ${count(moved, 'file')} from ${from} to ${to}`);
  output.result({ moved, from, to });
  return exitCodes.ok;
}
