import type { Command } from '../Command.ts';
import { chunks, exitFor, lookUpEach, notFound, type Failure } from '../lookUpEach.ts';
import { findFile } from '../findFile.ts';
import { maxAtOnce, operations } from '../operations.ts';

export const rm: Command = {
  name: 'rm',
  summary: 'move files to the trash',
  usage: 'filegraph rm <name|id…>',
  help: `Moves files, by full name or id, to the trash, where they stay for the
server's TRASH_RETENTION (30 days) and can be restored. Every argument is
looked up first: a file that is not there fails alone, and the others go.

--json prints {"deleted": [{"id", "name"}], "failed": [{"ref", "error":
{"code", "message"}}]}. Exits 0 when every file went, 4 when some did,
otherwise with the first failure's code (2, NOT_FOUND).`,
  options: {},
  arity: { min: 1, max: Infinity },
  async run({ positionals, client, output }) {
    const { found, failed } = await lookUpEach(positionals, (ref) => findFile(client, ref));
    const files = new Map(found.map(({ value }) => [value.id, value]));
    const deleted = new Set<string>();
    for (const ids of chunks([...files.keys()], maxAtOnce)) {
      const answer = await client.query(operations.deleteFiles, { ids });
      for (const id of answer.deleteFiles) deleted.add(id);
    }
    const gone: Failure[] = found
      .filter(({ value }) => !deleted.has(value.id))
      .map(({ ref, value }) => ({ ref, error: notFound(`${value.name} was deleted meanwhile`) }));
    const all = [...failed, ...gone];
    for (const { ref, error } of all) output.problem(ref, error);
    const done = [...files.values()].filter((file) => deleted.has(file.id));
    for (const file of done) output.line(`trashed ${file.name}`);
    output.result({
      deleted: done.map(({ id, name }) => ({ id, name })),
      failed: all,
    });
    return exitFor(done.length, all);
  },
};
