import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import busboy from 'busboy';
import { multipartBody } from '../src/multipart.ts';

/** Writes one file per name and reads the names back the way our services do. */
async function roundTrip(names: readonly string[], preservePath: boolean) {
  const { contentType, body } = multipartBody(
    { query: 'mutation ($f: [Upload!]!) { uploadFiles(files: $f) { id } }' },
    Object.fromEntries(names.map((_, index) => [String(index), [`variables.f.${index}`]])),
    names.map((filename) => async () => ({
      filename,
      contentType: 'text/plain',
      content: Readable.from([Buffer.from('x')]),
    })),
  );
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  const raw = Buffer.concat(chunks);
  const read = new Promise<string[]>((resolve, reject) => {
    const seen: string[] = [];
    const parser = busboy({
      headers: { 'content-type': contentType },
      defParamCharset: 'utf8',
      preservePath,
    });
    parser.on('file', (_field, stream, info) => {
      seen.push(info.filename ?? '(none)');
      stream.resume();
    });
    parser.on('error', reject);
    parser.on('close', () => resolve(seen));
    parser.end(raw);
  });
  return { names: await read, raw };
}

describe('multipartBody', () => {
  it('when a file name holds CR, LF, quotes, backslashes, "%" or non-ASCII, then busboy reads back exactly that name', async () => {
    const names = [
      'a\r\nb.txt',
      'say "hi".txt',
      'back\\slash',
      '%',
      'a%41 100%.txt',
      "it's (1) *.txt",
      'tab\tand\u0000nul',
      'résumé 日本語 🎉.txt',
      'invoice\u202Efdp.exe',
      'plain-ASCII_name.txt',
      ' !#$&+-.^_`|~ ',
    ];
    assert.deepEqual((await roundTrip(names, true)).names, names);
  });

  it('when a name is not printable ASCII, then the part header is ASCII with an ASCII filename fallback', async () => {
    const { raw } = await roundTrip(['é\r\n"x".txt'], true);
    assert.match(
      raw.toString('latin1'),
      /; filename="___\\"x\\"\.txt"; filename\*=UTF-8''%C3%A9%0D%0A%22x%22\.txt\r\n/,
    );
    assert.ok(
      raw.every((byte) => byte < 0x80),
      'the body is ASCII',
    );
  });

  it('when an encoded name holds "/" or "\\", then busboy still keeps only what follows the last one, as for any client', async () => {
    const { names } = await roundTrip(['photos/ü\r\n.txt', 'C:\\Users\\é\\b.txt', 'x/é/..'], false);
    assert.deepEqual(names, ['ü\r\n.txt', 'b.txt', '']);
  });
});
