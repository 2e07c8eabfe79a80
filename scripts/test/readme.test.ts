import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { tokenHeaders } from '@filegraph/testing/accounts';
import { graphql } from '@filegraph/testing/graphql';
import { root } from '@filegraph/processes/root';
import { startService, type RunningService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';
import { configTable } from '../configTable.ts';

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const configuration = readFileSync(join(root, 'docs/configuration.md'), 'utf8');
/** Who the README signs in as. */
const admin = { email: 'admin@example.com', password: 'correct horse battery staple' };
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** The README and every page of docs/, by their path in the repository. */
const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** Markdown without its fenced code blocks. */
const withoutFences = (markdown: string) =>
  markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1\s*$/gm, '');
/** Markdown as it is read for links: no code blocks, no inline code. */
const prose = (markdown: string) => withoutFences(markdown).replace(/`[^`\n]*`/g, '');

/** The anchors GitHub gives a page's headings (lower case, punctuation dropped, spaces as -). */
const anchors = (markdown: string) =>
  new Set(
    [...withoutFences(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)].map((match) =>
      (match[1] as string)
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    ),
  );

/** Every relative link of a page, `[text](target)` or `![alt](target)`, as written. */
const relativeLinks = (markdown: string) =>
  [...prose(markdown).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)]
    .map((match) => match[1] as string)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));

function between(start: string, end: string, text = readme): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  assert.ok(from >= 0 && to > from, `no ${start} … ${end} section`);
  return text.slice(from + start.length, to);
}

describe('the README', () => {
  it('when docs/configuration.md lists the configuration, then the table is exactly the settings the services read', () => {
    // Cell by cell: Prettier pads the README's columns.
    const cells = (table: string) =>
      table
        .trim()
        .split('\n')
        .map((row) => row.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/^-+$/, '---')));
    assert.deepEqual(
      cells(between('<!-- config-table -->', '<!-- /config-table -->', configuration)),
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
      // The first admin the README signs in as.
      embedded = await startService('embedded', {
        DATA_DIR: data.path,
        ADMIN_EMAIL: admin.email,
        ADMIN_PASSWORD: admin.password,
      });
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
      assert.ok(blocks.length >= 9);
      for (const [index, output] of outputs.entries()) {
        for (const line of output.split('\n').filter((l) => l.startsWith('{')))
          assert.equal(
            (JSON.parse(line) as { errors?: unknown }).errors,
            undefined,
            `block ${index}: ${line}`,
          );
      }
    });

    it('when the admin signs in, then the token made for scripts is one the API takes, and nothing works without it', async () => {
      assert.deepEqual(json(0).data, { signIn: { email: 'admin@example.com', role: 'ADMIN' } });
      const anonymous = await graphql(embedded.url, '{ files { totalCount } }');
      assert.equal(anonymous.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    });

    it('when the two files are uploaded, then both are stored in the folder with their SHA-256', () => {
      const files = json(1).data?.uploadFiles as Array<{
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
      assert.equal((json(2).data?.files as { totalCount: number }).totalCount, 2);
      assert.match(outputs[3] ?? '', /^[0-9a-f-]{36}\n$/);
    });

    it('when the file is downloaded, then the bytes on disk are the bytes uploaded', async () => {
      assert.deepEqual(await readFile(join(work.path, 'beach-copy.jpg')), beach);
    });

    it('when renamed, replaced, deleted and restored, then the store shows exactly that', async () => {
      const renamed = json(5).data?.renameFile as { id: string; name: string };
      assert.equal(renamed.name, 'holiday/best/beach.jpg');
      assert.equal(renamed.id, (outputs[3] ?? '').trim(), 'the rename kept the id');
      const replaced = (outputs[6] ?? '').trim().split('\n').at(-1) ?? '';
      assert.match(
        replaced,
        /"replaceFile":\{"id":"[^"]+","name":"holiday\/notes.txt","size":21\}/,
      );
      const [trash, restored] = (outputs[8] ?? '').trim().split('\n');
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
        {},
        { headers: (await tokenHeaders(embedded.url, admin))() },
      );
      assert.deepEqual(
        remaining.data?.files.nodes.map((f) => f.name),
        ['holiday/best/beach.jpg', 'holiday/notes.txt'],
      );
    });

    it('when the photo is shared, then the link alone downloads its exact bytes', async () => {
      assert.deepEqual(await readFile(join(work.path, 'shared-copy.jpg')), beach);
    });
  });
});

describe('the README and docs/', () => {
  for (const page of pages)
    it(`when ${page} links to a file of the repository, then that file, and the heading an anchor names, exist`, () => {
      const text = readFileSync(join(root, page), 'utf8');
      const broken: string[] = [];
      for (const link of relativeLinks(text)) {
        const [path = '', anchor] = link.split('#');
        const target = path === '' ? join(root, page) : join(root, dirname(page), decodeURI(path));
        if (!existsSync(target)) broken.push(`${link}: no such file`);
        else if (anchor !== undefined && !anchors(readFileSync(target, 'utf8')).has(anchor))
          broken.push(`${link}: no heading #${anchor}`);
      }
      assert.deepEqual(broken, []);
    });

  it('when the links are read, then the README links every page of docs/', () => {
    const linked = new Set(relativeLinks(readme).map((link) => link.split('#')[0]));
    assert.deepEqual(
      pages.filter((page) => page !== 'README.md' && !linked.has(page)),
      [],
    );
  });
});
