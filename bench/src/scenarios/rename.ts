import { formatBytes } from '@filegraph/shared/config';
import { errorCode, type ApiFile } from '@filegraph/testing/filesClient';
import { randomContent } from '@filegraph/testing/graphql';
import { dataOf, postGraphql } from '../http.ts';
import { pairedSamples } from '../measure.ts';
import type { Scenario } from '../Scenario.ts';
import { median } from '../stats.ts';

/** Timed calls per row, after `warmups` untimed ones. */
const samples = 20;
const warmups = 3;
const perFolder = 1_000;

const renameMutation = `mutation ($id: ID!, $name: String!) {
  renameFile(id: $id, name: $name) { id name size checksum }
}`;
const moveMutation = 'mutation ($path: String!, $to: String!) { moveFolder(path: $path, to: $to) }';

export const rename: Scenario = {
  name: 'rename',
  about: 'renameFile of a large file and moveFolder of a large folder: rows change, bytes stay',
  async run(bench) {
    const { stack, admin, api, direct, bucket, db } = await bench.sharedStack();
    const { sizes } = bench.config;
    const progress = (message: string) => bench.progress('rename', message);
    const gateway = `${stack.url}/graphql`;

    const size = sizes.renameFile;
    const label = formatBytes(size);
    progress(`uploading a ${label} file through the gateway`);
    const content = randomContent(size);
    const answer = await api.upload([{ filename: 'large.bin', content: content.content }], {
      prefix: 'bench/rename',
    });
    const large = answer.data?.uploadFiles[0];
    if (!large || large.size !== size || large.checksum !== content.sha256())
      throw new Error(`upload of large.bin: ${JSON.stringify(answer.errors ?? large)}`);
    const small = await api.put('small.bin', Buffer.alloc(10 * 1024, 1), {
      prefix: 'bench/rename',
    });
    const keyBefore = (await db.fileById(large.id))?.key;

    /** Renames `file` back and forth between two names; each call times one rename. */
    const renamer = (file: ApiFile) => {
      const names = [file.name, file.name.replace(/\.bin$/, '-renamed.bin')];
      let turn = 0;
      return async () => {
        turn += 1;
        const name = names[turn % 2] as string;
        const renamed = await postGraphql<{ renameFile: ApiFile }>(
          gateway,
          renameMutation,
          { id: file.id, name },
          { headers: admin.headers() },
        );
        const got = dataOf(renamed, `renameFile to ${name}`).renameFile;
        if (got.id !== file.id || got.name !== name || got.checksum !== file.checksum)
          throw new Error(`renameFile to ${name}: ${renamed.text}`);
        return renamed.ms;
      };
    };
    progress(`renameFile, the ${label} file and a 10 KiB one in turn`);
    const renames = await pairedSamples(samples, warmups, {
      baseline: renamer(small),
      filegraph: renamer(large),
    });
    const row = await db.fileById(large.id);
    const stored = row && (await direct.stat(bucket, row.key));
    if (!row || row.key !== keyBefore || stored?.size !== size)
      throw new Error(`after the renames, ${large.name} is ${JSON.stringify({ row, stored })}`);

    const count = sizes.moveFolderFiles;
    const countLabel = count.toLocaleString('en');
    progress(`writing ${countLabel} rows for a folder straight into PostgreSQL`);
    const inFolder = (folder: string) =>
      Array.from(
        { length: count },
        (_, i) =>
          `${folder}${String(Math.floor(i / perFolder)).padStart(2, '0')}/f-${String(i).padStart(5, '0')}.txt`,
      );
    await db.insertFiles(
      [...inFolder('bench/move/many-a/'), 'bench/move/one-a/f.txt'],
      undefined,
      admin.id,
    );
    await db.vacuumAnalyze();

    /** Moves a folder back and forth between two paths; each call times one move. */
    const mover = (from: string, to: string, files: number) => {
      let turn = 0;
      return async () => {
        const [path, target] = turn % 2 === 0 ? [from, to] : [to, from];
        turn += 1;
        const moved = await postGraphql<{ moveFolder: number }>(
          gateway,
          moveMutation,
          { path, to: target },
          { headers: admin.headers() },
        );
        const got = dataOf(moved, `moveFolder ${path} → ${target}`).moveFolder;
        if (got !== files) throw new Error(`moveFolder ${path} → ${target}: moved ${got}`);
        return moved.ms;
      };
    };
    progress(`moveFolder, a folder of ${countLabel} files and one of 1 file in turn`);
    const moves = await pairedSamples(samples, warmups, {
      baseline: mover('bench/move/one-a/', 'bench/move/one-b/', 1),
      filegraph: mover('bench/move/many-a/', 'bench/move/many-b/', count),
    });
    // After an odd number of moves everything is under -b/; the counts must have followed.
    const where = (samples + warmups) % 2 === 1 ? 'many-b' : 'many-a';
    const listed = await api.list({ prefix: `bench/move/${where}/`, first: 1 });
    const left = await api.list({ prefix: 'bench/move/', first: 1 });
    if (listed.data?.files.totalCount !== count || left.data?.files.totalCount !== count + 1)
      throw new Error(
        `after the moves: ${listed.data?.files.totalCount} files in bench/move/${where}/, ${left.data?.files.totalCount} in bench/move/ (${errorCode(listed) ?? ''})`,
      );

    return {
      rows: [
        {
          scenario: 'rename',
          name: `renameFile of a ${label} file`,
          unit: 'ms',
          baselineIs: 'renameFile of a 10 KiB file, through the gateway likewise',
          baseline: median(renames.baseline),
          filegraph: median(renames.filegraph),
          target: { kind: 'max', value: 50 },
          samples: renames,
          note: `p50 of ${samples}`,
        },
        {
          scenario: 'rename',
          name: `moveFolder of a folder of ${countLabel} files`,
          unit: 'ms',
          baselineIs: 'moveFolder of a folder of 1 file, through the gateway likewise',
          baseline: median(moves.baseline),
          filegraph: median(moves.filegraph),
          target: { kind: 'max', value: 2_000 },
          samples: moves,
          note: `p50 of ${samples}`,
        },
      ],
      notes: [
        `rename: the ${label} file kept its key in MinIO through ${samples + warmups} renames (no byte copied)`,
      ],
    };
  },
};
