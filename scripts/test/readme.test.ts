import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { graphql } from '@filegraph/testing/graphql';
import { root, startService, type RunningService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';
import { configTable } from '../configTable.ts';

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

function between(start: string, end: string): string {
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  assert.ok(from >= 0 && to > from, `README has no ${start} … ${end} section`);
  return readme.slice(from + start.length, to);
}

describe('the README', () => {
  it('when it lists the configuration, then the table is exactly the settings the services read', () => {
    // Cell by cell: Prettier pads the README's columns.
    const cells = (table: string) =>
      table
        .trim()
        .split('\n')
        .map((row) => row.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/^-+$/, '---')));
    assert.deepEqual(
      cells(between('<!-- config-table -->', '<!-- /config-table -->')),
      cells(configTable()),
    );
  });

  describe('API examples, run as written against npm start', () => {
    const blocks = [
      ...between('<!-- api-examples -->', '<!-- /api-examples -->').matchAll(
        /```sh\n([\s\S]*?)```/g,
      ),
    ].map((match) => match[1] as string);
    const outputs: string[] = [];
    const beach = randomBytes(200_000);
    let embedded: RunningService;
    let work: { path: string; remove(): Promise<void> };
    let data: { path: string; remove(): Promise<void> };

    before(async () => {
      data = await tempDir('readme-data');
      work = await tempDir('readme-work');
      await writeFile(join(work.path, 'beach.jpg'), beach);
      await writeFile(join(work.path, 'notes.txt'), 'first notes\n');
      await writeFile(join(work.path, 'notes-v2.txt'), 'second, longer notes\n');
      embedded = await startService('embedded', { DATA_DIR: data.path });
      // One shell runs every block in turn, as a reader pasting them would.
      const script = blocks
        .map(
          (block, index) =>
            `echo "@@ block ${index}"\n${block.replaceAll('http://localhost:4000', embedded.url)}`,
        )
        .join('\n');
      const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], {
        cwd: work.path,
      });
      outputs.push(...stdout.split(/^@@ block \d+\n/m).slice(1));
    });

    after(async () => {
      await embedded?.stop();
      await work?.remove();
      await data?.remove();
    });

    const json = (index: number) =>
      JSON.parse(outputs[index] ?? '') as { data?: Record<string, unknown>; errors?: unknown };

    it('when every block has run, then none printed a GraphQL error', () => {
      assert.equal(outputs.length, blocks.length);
      assert.ok(blocks.length >= 7);
      for (const [index, output] of outputs.entries()) {
        for (const line of output.split('\n').filter((l) => l.startsWith('{')))
          assert.equal(
            (JSON.parse(line) as { errors?: unknown }).errors,
            undefined,
            `block ${index}: ${line}`,
          );
      }
    });

    it('when the two files are uploaded, then both are stored in the folder with their SHA-256', () => {
      const files = json(0).data?.uploadFiles as Array<{
        name: string;
        size: number;
        checksum: string;
      }>;
      assert.deepEqual(
        files.map((f) => [f.name, f.size, f.checksum]),
        [
          ['holiday/beach.jpg', beach.length, sha256(beach)],
          ['holiday/notes.txt', 12, sha256(Buffer.from('first notes\n'))],
        ],
      );
    });

    it('when the folder is listed and searched, then the count and the match are right', () => {
      assert.equal((json(1).data?.files as { totalCount: number }).totalCount, 2);
      assert.match(outputs[2] ?? '', /^[0-9a-f-]{36}\n$/);
    });

    it('when the file is downloaded, then the bytes on disk are the bytes uploaded', async () => {
      assert.deepEqual(await readFile(join(work.path, 'beach-copy.jpg')), beach);
    });

    it('when renamed, replaced, deleted and restored, then the store shows exactly that', async () => {
      const renamed = json(4).data?.renameFile as { id: string; name: string };
      assert.equal(renamed.name, 'holiday/best/beach.jpg');
      assert.equal(renamed.id, (outputs[2] ?? '').trim(), 'the rename kept the id');
      const replaced = (outputs[5] ?? '').trim().split('\n').at(-1) ?? '';
      assert.match(
        replaced,
        /"replaceFile":\{"id":"[^"]+","name":"holiday\/notes.txt","size":21\}/,
      );
      const [trash, restored] = (outputs[7] ?? '').trim().split('\n');
      assert.match(
        trash ?? '',
        /"trash":\{"totalCount":1,"nodes":\[\{"id":"[^"]+","name":"holiday\/notes.txt"/,
      );
      assert.match(
        restored ?? '',
        /"restoreFiles":\[\{"id":"[^"]+","name":"holiday\/notes.txt"\}\]/,
      );
      const remaining = await graphql<{ files: { nodes: Array<{ name: string }> } }>(
        embedded.url,
        '{ files { nodes { name } } }',
      );
      assert.deepEqual(
        remaining.data?.files.nodes.map((f) => f.name),
        ['holiday/best/beach.jpg', 'holiday/notes.txt'],
      );
    });
  });
});
