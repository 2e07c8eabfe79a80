import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { copyFile, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { readConfig } from '@filegraph/shared/config';
import { internalTlsSettings, loadInternalTls } from '@filegraph/shared/tls';
import { makeCerts } from '@filegraph/processes/tls';
import { tempDir } from '../../src/temp.ts';
import { repoRoot } from './loadCompose.ts';

describe('tls/make-certs.sh, the one command that makes the internal CA and certificates', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  const certificate = async (service: string) =>
    new X509Certificate(await readFile(join(dir.path, service, 'tls.crt')));

  before(async () => {
    dir = await tempDir('make-certs');
    await makeCerts(dir.path, ['files', 'gateway']);
  });
  after(() => dir?.remove());

  test('when it runs, then each service gets a certificate of the CA naming it, for both ends of a connection, and the CA key stays private', async () => {
    const ca = new X509Certificate(await readFile(join(dir.path, 'ca/ca.crt')));
    for (const service of ['files', 'gateway']) {
      const own = await certificate(service);
      assert.ok(own.checkIssued(ca) && own.verify(ca.publicKey), service);
      assert.equal(own.subjectAltName, `DNS:${service}`);
      assert.deepEqual(own.keyUsage?.sort(), ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
      assert.equal(loadInternalTls(join(dir.path, service)).name, service);
    }
    assert.equal((await stat(join(dir.path, 'ca/ca.key'))).mode & 0o077, 0);
    assert.equal((await stat(join(dir.path, 'ca'))).mode & 0o077, 0);
  });

  test('when it runs again, then it keeps what is valid and makes what is missing', async () => {
    const before = (await certificate('files')).fingerprint256;
    await makeCerts(dir.path, ['files', 'gateway', 'health']);
    assert.equal((await certificate('files')).fingerprint256, before);
    assert.equal((await certificate('health')).subjectAltName, 'DNS:health');
  });

  test('when a folder holds a certificate of another CA, then it is remade, and the service would have refused it', async () => {
    const other = await tempDir('make-certs-other');
    try {
      await makeCerts(other.path, ['files']);
      for (const file of ['tls.crt', 'tls.key'])
        await copyFile(join(other.path, 'files', file), join(dir.path, 'files', file));
      assert.throws(() => loadInternalTls(join(dir.path, 'files')), /not signed by ca\.crt/);
      await makeCerts(dir.path, ['files']);
      assert.doesNotThrow(() => loadInternalTls(join(dir.path, 'files')));
    } finally {
      await other.remove();
    }
  });

  test('when a service is given a folder without its certificate, then it refuses to start, naming the setting and the file', () => {
    assert.throws(
      () => readConfig(internalTlsSettings, { INTERNAL_TLS_DIR: join(dir.path, 'nobody') }),
      (error: Error) => /INTERNAL_TLS_DIR: cannot read .*nobody\/ca\.crt/.test(error.message),
    );
    assert.equal(readConfig(internalTlsSettings, {}).internalTls, undefined);
  });

  test('when a name is not a service name, then it refuses with exit 2 and makes nothing for it', async () => {
    await assert.rejects(
      promisify(execFile)(join(repoRoot, 'tls/make-certs.sh'), [dir.path, '../escape']),
      (error: { code?: number; stderr?: string }) =>
        error.code === 2 && /not a service name/.test(error.stderr ?? ''),
    );
  });
});
