import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { it } from 'node:test';
import { errorCode, type FilesClient } from '@filegraph/testing/filesClient';

/**
 * Tests, run inside each driver's API suite, that a reader always gets one
 * whole version of a file and that only a file's own id reaches it.
 */

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Content of `size` bytes in which every byte says which version it is. */
function version(tag: number, size: number): Buffer {
  return Buffer.alloc(size, tag);
}

export function versionTests(client: () => FilesClient): void {
  it('when ids are crafted, then every operation finds nothing and the file is untouched', async () => {
    const api = client();
    const victim = await api.put('x.txt', 'keep me', { prefix: 'crafted' });
    const crafted = [
      // What ids were before files had ids of their own: the name in base64url.
      Buffer.from('crafted/x.txt').toString('base64url'),
      Buffer.from('crafted/zz/../x.txt').toString('base64url'),
      victim.id.toUpperCase(),
      `${victim.id}0`,
      victim.id.slice(0, -1),
      `${victim.id}'`,
      "' OR '1'='1",
      '00000000-0000-4000-8000-000000000000',
      '../../objects',
      'A'.repeat(5000),
      '',
    ];
    for (const id of crafted) {
      const shown = JSON.stringify(id.slice(0, 30));
      assert.equal((await api.file(id)).data?.file, null, `file(${shown})`);
      assert.equal(errorCode(await api.replace(id, 'x.txt', 'evil')), 'NOT_FOUND', shown);
      assert.equal(errorCode(await api.rename(id, 'crafted/moved.txt')), 'NOT_FOUND', shown);
      assert.deepEqual((await api.delete([id])).data?.deleteFiles, [], `delete ${shown}`);
      assert.deepEqual((await api.restore([id])).data?.restoreFiles, [], `restore ${shown}`);
      if (id !== '')
        assert.equal(
          (await api.download(`/download/${encodeURIComponent(id)}`)).status,
          404,
          shown,
        );
    }
    const listed = await api.all({ prefix: 'crafted' });
    assert.deepEqual(
      listed.map((file) => [file.id, file.checksum]),
      [[victim.id, victim.checksum]],
    );
    assert.equal(await (await api.download(victim.url)).text(), 'keep me');
  });

  it('when a file is replaced while it is downloaded whole and in ranges, then every answer is one version, headers and bytes alike', async () => {
    const api = client();
    const sizes = [70_000, 300_000, 1, 2_000_000, 123_457];
    const versions = new Map<string, Buffer>();
    const remember = (content: Buffer) => versions.set(sha256(content), content);
    const first = version(0, 70_000);
    remember(first);
    const file = await api.put('moving.bin', first, { prefix: 'versions' });
    let replacing = true;
    const replacer = (async () => {
      for (let round = 1; round <= 24; round += 1) {
        const content = version(round, sizes[round % sizes.length] as number);
        remember(content);
        const replaced = await api.replace(file.id, 'moving.bin', content);
        assert.equal(replaced.errors, undefined, JSON.stringify(replaced.errors));
      }
      replacing = false;
    })();
    let checked = 0;
    const reader = async (ranged: boolean) => {
      while (replacing) {
        const start = checked % 50;
        const response = await api.download(
          file.url,
          ranged ? { range: `bytes=${start}-${start + 60_000}` } : {},
        );
        const body = Buffer.from(await response.arrayBuffer());
        const etag = response.headers.get('etag')?.replace(/"/g, '') ?? '';
        const whole = versions.get(etag);
        assert.ok(whole, `the ETag ${etag} is a version that was stored`);
        if (response.status === 416) {
          assert.equal(response.headers.get('content-range'), `bytes */${whole.length}`);
          assert.ok(whole.length <= start, 'only a version shorter than the range start');
        } else if (response.status === 206) {
          const [, start, end, total] =
            /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.headers.get('content-range') ?? '') ?? [];
          assert.equal(Number(total), whole.length, 'Content-Range total is that version’s size');
          assert.deepEqual(body, whole.subarray(Number(start), Number(end) + 1));
        } else {
          assert.equal(response.status, 200);
          assert.equal(sha256(body), etag, 'the bytes are the version the ETag names');
        }
        if (response.status !== 416)
          assert.equal(Number(response.headers.get('content-length')), body.length);
        checked += 1;
      }
    };
    await Promise.all([replacer, reader(false), reader(true), reader(false), reader(true)]);
    assert.ok(checked > 20, `${checked} downloads checked`);
  });

  it('when a download is resumed with If-Range after the file was replaced, then the new version comes whole, not spliced', async () => {
    const api = client();
    const old = version(7, 200_000);
    const file = await api.put('resume.bin', old, { prefix: 'versions' });
    const head = await api.download(file.url, { range: 'bytes=0-99999' });
    const etag = head.headers.get('etag') ?? '';
    assert.deepEqual(Buffer.from(await head.arrayBuffer()), old.subarray(0, 100_000));
    const fresh = version(8, 150_000);
    assert.equal((await api.replace(file.id, 'resume.bin', fresh)).errors, undefined);
    const rest = await api.download(file.url, { range: 'bytes=100000-', 'if-range': etag });
    assert.equal(rest.status, 200);
    assert.equal(rest.headers.get('etag'), `"${sha256(fresh)}"`);
    assert.deepEqual(Buffer.from(await rest.arrayBuffer()), fresh);
  });
}
