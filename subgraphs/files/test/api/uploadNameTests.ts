import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { FilesClient } from '@filegraph/testing/filesClient';

/**
 * Tests, run against each driver's files subgraph and through the gateway,
 * that an upload's file name reaches the name rules exactly as the client
 * sent it: refused for the same characters, with the same message, as a
 * rename to that name.
 */
export function uploadNameTests(client: () => FilesClient): void {
  it('when an upload is named with CR/LF, a bidi override or an invisible character, then it is refused like a rename to that name and nothing is stored', async () => {
    const api = client();
    const victim = await api.put('victim.txt', 'safe', { prefix: 'spoof' });
    for (const [filename, code] of [
      ['a\r\nb.txt', 'U+000D'],
      ['lf\nonly.txt', 'U+000A'],
      ['invoice\u202efdp.exe', 'U+202E'],
      ['zero\u200bwidth.txt', 'U+200B'],
    ] as const) {
      const upload = await api.upload([{ filename, content: 'x' }], { prefix: 'spoof' });
      const rename = await api.rename(victim.id, `spoof/${filename}`);
      const label = JSON.stringify(filename);
      assert.equal(upload.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', label);
      assert.ok(upload.errors?.[0]?.message.includes(code), label);
      assert.equal(upload.errors?.[0]?.message, rename.errors?.[0]?.message, label);
      assert.equal(rename.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', label);
    }
    assert.deepEqual(
      (await api.all({ prefix: 'spoof' })).map((file) => file.name),
      ['spoof/victim.txt'],
    );
  });

  it('when an upload is named with emoji, Persian or Hindi that need ZWJ, ZWNJ or tags, then it is stored under exactly that name', async () => {
    const api = client();
    const names = [
      '👨\u200d👩\u200d👧 family.jpg',
      '🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}.txt',
      'می\u200cخواهم.txt',
      'क्\u200dष.txt',
    ];
    const response = await api.upload(
      names.map((filename) => ({ filename, content: filename })),
      { prefix: 'scripts' },
    );
    assert.deepEqual(
      response.data?.uploadFiles.map((file) => file.name),
      names.map((name) => `scripts/${name}`),
    );
  });
}
