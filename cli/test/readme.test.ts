import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { root } from '@filegraph/processes/root';
import { tempDir } from '@filegraph/testing/temp';
import pkg from '../package.json' with { type: 'json' };
import { bin, startFilegraph, writeFile } from './cli.ts';

const run = promisify(execFile);
const readme = readFileSync(join(root, 'README.md'), 'utf8');

function between(start: string, end: string): string {
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  assert.ok(from >= 0 && to > from, `README has no ${start} … ${end} section`);
  return readme.slice(from + start.length, to);
}

describe("the README's command-line examples", () => {
  const script = [
    ...between('<!-- cli-examples -->', '<!-- /cli-examples -->').matchAll(/```sh\n([\s\S]*?)```/g),
  ]
    .map((match) => match[1] as string)
    .join('\n');
  const beach = randomBytes(150_000);
  let server: Awaited<ReturnType<typeof startFilegraph>>;
  let work: Awaited<ReturnType<typeof tempDir>>;

  before(async () => {
    server = await startFilegraph();
    work = await tempDir('cli-readme');
    await writeFile(join(work.path, 'holiday/beach.jpg'), beach);
    await writeFile(join(work.path, 'holiday/notes.txt'), 'notes\n');
  });

  after(async () => {
    await server?.stop();
    await work?.remove();
  });

  it('when npx filegraph runs in the repository, then it starts this CLI, with no registry asked', async () => {
    const { stdout } = await run('npx', ['--offline', 'filegraph', '--version'], {
      cwd: root,
      env: { PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` },
    });
    assert.equal(stdout, `${pkg.version}\n`);
  });

  it('when they run as written (npx filegraph being this launcher), then the store shows what they say', async () => {
    assert.ok(script.split('\n').filter((line) => line.startsWith('npx filegraph')).length >= 3);
    const { stdout } = await run(
      'bash',
      ['-euo', 'pipefail', '-c', script.replaceAll('npx filegraph', bin)],
      {
        cwd: work.path,
        // The examples rely on the default URL and a token in the environment; the test's server is elsewhere.
        env: { PATH: process.env.PATH ?? '', ...server.env },
      },
    );
    assert.match(stdout, /^uploaded trips\/2024\/holiday\/beach\.jpg \(150 kB\)$/m);
    assert.match(stdout, /^trips\/2024\/holiday\/beach\.jpg$/m);
    assert.deepEqual(await readFile(join(work.path, 'beach-copy.jpg')), beach);
    assert.deepEqual(
      (await server.api.all({ prefix: 'trips' })).map((file) => file.name),
      ['trips/2025/holiday/beach.jpg'],
    );
    const trash = (await server.api.trash()).data?.trash.nodes.map((file) => file.name);
    assert.deepEqual(trash, ['trips/2025/holiday/notes.txt']);
  });
});
