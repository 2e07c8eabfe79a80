import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { mcBinary, startMinio, type MinioServer } from '@filegraph/processes/minio';
import { tempDir } from '@filegraph/testing/temp';
import { createFilesUser } from '../stack/minioUsers.ts';

describe("the files replicas' MinIO user (minio/files-user.sh)", () => {
  let data: Awaited<ReturnType<typeof tempDir>>;
  let minio: MinioServer;

  before(async () => {
    data = await tempDir('minio-users');
    minio = await startMinio(join(data.path, 'minio'));
  });
  after(async () => {
    await minio?.stop();
    await data?.remove();
  });

  /** mc as the files user, in a configuration of its own; secrets on stdin. */
  const asFilesUser = (password: string, ...args: string[]) => {
    const env = { ...process.env, MC_CONFIG_DIR: join(data.path, 'mc-files') };
    const run = (argv: string[], input?: string) =>
      spawnSync(mcBinary(), argv, { env, input, encoding: 'utf8', timeout: 30_000 });
    const alias = run(['alias', 'set', 'files', minio.endpoint], `filegraph-files\n${password}\n`);
    if (alias.status !== 0) return alias;
    return run(args, args[0] === 'pipe' ? 'stored by the files user\n' : undefined);
  };

  const create = (password: string) =>
    createFilesUser({
      url: minio.endpoint,
      root: { user: minio.accessKey, password: minio.secretKey },
      files: { user: 'filegraph-files', password },
      bucket: 'filegraph',
      configDir: join(data.path, 'mc-root'),
    });

  it('when its password starts with a dash, then the user is created with it and reaches its bucket only; run again with a new one, the new one works', async () => {
    for (const password of [`-${randomBytes(18).toString('base64url')}`, 'second-password-1']) {
      await create(password);
      assert.equal(asFilesUser(password, 'pipe', 'files/filegraph/note.txt').status, 0);
      const read = asFilesUser(password, 'cat', 'files/filegraph/note.txt');
      assert.equal(read.stdout, 'stored by the files user\n');
      const elsewhere = asFilesUser(password, 'mb', 'files/someone-elses');
      assert.notEqual(elsewhere.status, 0, 'no bucket but its own');
      assert.match(elsewhere.stderr, /Access Denied/i);
    }
  });
});
