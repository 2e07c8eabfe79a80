import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { endpointFrom } from '../src/config.ts';

describe('endpointFrom', () => {
  const cases: Array<
    [string, Parameters<typeof endpointFrom>, { base: string; token: string | undefined }]
  > = [
    ['nothing set', [{}, {}], { base: 'http://localhost:4000', token: undefined }],
    [
      'the environment',
      [{}, { FILEGRAPH_URL: 'https://files.example.com', FILEGRAPH_TOKEN: 't1' }],
      { base: 'https://files.example.com', token: 't1' },
    ],
    [
      'flags and environment',
      [
        { url: 'http://127.0.0.1:5000', token: 't2' },
        { FILEGRAPH_URL: 'http://x', FILEGRAPH_TOKEN: 't1' },
      ],
      { base: 'http://127.0.0.1:5000', token: 't2' },
    ],
    [
      'an empty environment value',
      [{}, { FILEGRAPH_URL: '', FILEGRAPH_TOKEN: '' }],
      { base: 'http://localhost:4000', token: undefined },
    ],
    [
      'a trailing /graphql',
      [{ url: 'http://localhost:4000/graphql/' }, {}],
      { base: 'http://localhost:4000', token: undefined },
    ],
    [
      'a path prefix (behind a proxy)',
      [{ url: 'https://example.com/filegraph/' }, {}],
      { base: 'https://example.com/filegraph', token: undefined },
    ],
  ];
  for (const [what, args, expected] of cases) {
    it(`when given ${what}, then the endpoint is ${expected.base}${expected.token ? ` with token ${expected.token}` : ''}`, () => {
      assert.deepEqual(endpointFrom(...args), expected);
    });
  }

  const wrong: Array<[string, Parameters<typeof endpointFrom>, RegExp]> = [
    [
      'a URL that is not one',
      [{}, { FILEGRAPH_URL: 'localhost:4000' }],
      /^FILEGRAPH_URL must be an http/,
    ],
    ['no URL at all', [{ url: 'not a url' }, {}], /^--url is not a URL: "not a url"/],
    [
      'credentials in the URL',
      [{ url: 'http://me:secret@localhost:4000' }, {}],
      /^--url must be an origin.*use --token/,
    ],
    [
      'a token with a newline',
      [{}, { FILEGRAPH_TOKEN: 'abc\nInjected: 1' }],
      /^FILEGRAPH_TOKEN contains spaces or control characters/,
    ],
  ];
  for (const [what, args, message] of wrong) {
    it(`when given ${what}, then it is a usage error naming the setting`, () => {
      assert.throws(
        () => endpointFrom(...args),
        (error: Error & { exitCode?: number }) => {
          assert.match(error.message, message);
          assert.equal(error.exitCode, 1);
          return true;
        },
      );
    });
  }
});
