import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Client, OutgoingFile } from '../src/Client.ts';
import { refused, unreachable, type CliError } from '../src/errors.ts';
import type { LocalFile } from '../src/localFiles.ts';
import type { ApiFile } from '../src/operations.ts';
import { uploadAll } from '../src/uploadAll.ts';

const here = new URL('.', import.meta.url).pathname;

/** A file of this test folder (its bytes are read for real) or one that is not there. */
function local(filename: string, prefix = 'in/', size = 100): LocalFile {
  return { path: filename, prefix, filename, name: `${prefix}${filename}`, size };
}

/**
 * A stand-in for the server: reads every file of a request as the real one
 * does, refuses a request whose file could not be read, and answers
 * `refuse(names)` for the rest.
 */
function fakeClient(refuse: (names: string[]) => CliError | undefined = () => undefined) {
  const requests: string[][] = [];
  const client = {
    async upload(files: readonly OutgoingFile[], options: { prefix: string }): Promise<ApiFile[]> {
      const names = files.map((file) => `${options.prefix}${file.filename}`);
      requests.push(names);
      for (const file of files) {
        try {
          for await (const _ of file.open());
        } catch {
          throw refused('BAD_USER_INPUT', 'The upload was not finished; nothing was kept.');
        }
      }
      const refusal = refuse(names);
      if (refusal) throw refusal;
      return names.map((name) => ({ name }) as ApiFile);
    },
  } as unknown as Client;
  return { client, requests };
}

async function run(client: Client, files: LocalFile[]) {
  const uploaded: string[] = [];
  const failed: Array<[string, string]> = [];
  await uploadAll(
    client,
    files,
    { overwrite: false, parallel: 1, maxFiles: 100, cwd: here },
    {
      uploaded: (_local, file) => uploaded.push(file.name),
      failed: (file, error) => failed.push([file.name, error.code]),
      progress: () => {},
    },
  );
  return { uploaded, failed };
}

describe('uploadAll', () => {
  const three = [local('cli.ts'), local('missing.txt'), local('args.test.ts')];

  it('when small files go to one folder, then they share one request', async () => {
    const { client, requests } = fakeClient();
    const { uploaded } = await run(client, [local('cli.ts'), local('args.test.ts')]);
    assert.deepEqual(requests, [['in/cli.ts', 'in/args.test.ts']]);
    assert.deepEqual(uploaded, ['in/cli.ts', 'in/args.test.ts']);
  });

  it('when a file of a batch cannot be read, then the others go again alone and only it fails, with LOCAL_FILE', async () => {
    const { client, requests } = fakeClient();
    const { uploaded, failed } = await run(client, three);
    assert.deepEqual(requests, [
      ['in/cli.ts', 'in/missing.txt', 'in/args.test.ts'],
      ['in/cli.ts'],
      ['in/missing.txt'],
      ['in/args.test.ts'],
    ]);
    assert.deepEqual(uploaded, ['in/cli.ts', 'in/args.test.ts']);
    assert.deepEqual(failed, [['in/missing.txt', 'LOCAL_FILE']]);
  });

  it('when a batch is refused with CONFLICT, then only the file whose name is taken fails', async () => {
    const { client } = fakeClient((names) =>
      names.includes('in/args.test.ts') ? refused('CONFLICT', 'taken') : undefined,
    );
    const { uploaded, failed } = await run(client, [local('cli.ts'), local('args.test.ts')]);
    assert.deepEqual(uploaded, ['in/cli.ts']);
    assert.deepEqual(failed, [['in/args.test.ts', 'CONFLICT']]);
  });

  it('when the server is unavailable, then the batch fails whole and is not split', async () => {
    const { client, requests } = fakeClient(() => refused('UNAVAILABLE', 'storage is down'));
    const { failed } = await run(client, [local('cli.ts'), local('args.test.ts')]);
    assert.equal(requests.length, 1);
    assert.deepEqual(failed, [
      ['in/cli.ts', 'UNAVAILABLE'],
      ['in/args.test.ts', 'UNAVAILABLE'],
    ]);
  });

  it('when the server cannot be reached, then nothing more is sent and every file left fails with UNREACHABLE', async () => {
    const { client, requests } = fakeClient(() => unreachable('connection refused'));
    const { failed } = await run(client, [local('cli.ts', 'a/'), local('cli.ts', 'b/')]);
    assert.deepEqual(requests, [['a/cli.ts']]);
    assert.deepEqual(failed, [
      ['a/cli.ts', 'UNREACHABLE'],
      ['b/cli.ts', 'UNREACHABLE'],
    ]);
  });
});
