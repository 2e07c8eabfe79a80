import type { Command } from '../Command.ts';
import { chunks, exitFor, lookUpEach, notFound, type Failure } from '../lookUpEach.ts';
import { findInTrash } from '../findFile.ts';
import { maxAtOnce, operations, type ApiFile } from '../operations.ts';

export const restore: Command = {
  name: 'restore',
  summary: 'bring files back from the trash',
  usage: 'filegraph restore <id|name…>',
  help: `Brings files back from the trash under their names, with their ids. An
argument is an id, or a name: the most recently deleted file of that name
(\`filegraph trash\` lists both). The files found come back all or none:
if a name is taken again, none do (CONFLICT).

--json prints {"restored": [File…], "failed": [{"ref", "error": {"code",
"message"}}]}. Exits 0 when every file came back, 4 when some did,
otherwise with the first failure's code.`,
  options: {},
  arity: { min: 1, max: Infinity },
  async run({ positionals, client, output }) {
    const { found, failed } = await lookUpEach(positionals, (ref) => findInTrash(client, ref));
    const ids = [...new Set(found.map(({ value }) => value))];
    const restored: ApiFile[] = [];
    for (const chunk of chunks(ids, maxAtOnce)) {
      const answer = await client.query(operations.restoreFiles, {
        ids: chunk,
      });
      restored.push(...answer.restoreFiles);
    }
    const back = new Set(restored.map((file) => file.id));
    const missing: Failure[] = found
      .filter(({ value }) => !back.has(value))
      .map(({ ref }) => ({ ref, error: notFound(`there is no file with id ${ref} in the trash`) }));
    const all = [...failed, ...missing];
    for (const { ref, error } of all) output.problem(ref, error);
    for (const file of restored) output.line(`restored ${file.name}`);
    output.result({ restored, failed: all });
    return exitFor(restored.length, all);
  },
};
