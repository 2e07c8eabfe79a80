import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConfigError,
  describeSchema,
  formatBytes,
  kinds,
  optional,
  readConfig,
  setting,
} from '../src/config.ts';

describe('configuration', () => {
  const table: Array<[string, (raw: string) => unknown, string, unknown]> = [
    ['bytes', kinds.bytes().parse, '16MiB', 16 * 2 ** 20],
    ['bytes', kinds.bytes().parse, '1.5 GiB', 1.5 * 2 ** 30],
    ['bytes', kinds.bytes().parse, '2kb', 2000],
    ['bytes', kinds.bytes().parse, '12 parsecs', undefined],
    ['duration', kinds.duration().parse, '500ms', 500],
    ['duration', kinds.duration().parse, '2m', 120_000],
    ['duration', kinds.duration().parse, 'soon', undefined],
    ['port', kinds.port().parse, '65536', undefined],
    ['port', kinds.port().parse, '0', 0],
    ['integer', kinds.integer(1, 5).parse, '3.5', undefined],
    ['boolean', kinds.boolean().parse, 'Yes', true],
    ['boolean', kinds.boolean().parse, 'maybe', undefined],
    ['oneOf', kinds.oneOf(['disk', 'minio']).parse, 'MinIO', 'minio'],
    [
      'httpAddress',
      (raw) => kinds.httpAddress().parse(raw)?.href,
      '127.0.0.1:8500',
      'http://127.0.0.1:8500/',
    ],
    [
      'namedUrls',
      kinds.namedUrls().parse,
      'a=http://x/graphql, b=http://y/graphql',
      [
        { name: 'a', url: 'http://x/graphql' },
        { name: 'b', url: 'http://y/graphql' },
      ],
    ],
    ['namedUrls', kinds.namedUrls().parse, 'a=http://x,a=http://y', undefined],
    [
      'origins',
      kinds.origins().parse,
      'https://Files.Example.com/, http://nas.lan:4000',
      ['https://files.example.com', 'http://nas.lan:4000'],
    ],
    ['origins', kinds.origins().parse, '', []],
    ['origins', kinds.origins().parse, 'https://files.example.com/app', undefined],
    ['origins', kinds.origins().parse, 'files.example.com', undefined],
  ];
  for (const [kind, parse, raw, expected] of table) {
    it(`when a ${kind} setting reads ${JSON.stringify(raw)}, then it is ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(parse(raw), expected);
    });
  }

  it('when several settings are wrong, then one error names every variable, but never a secret value', () => {
    const schema = {
      port: setting('PORT', 'port', kinds.port(), '4000'),
      size: setting('MAX', 'size', kinds.bytes(), '1GiB'),
      secret: setting('SECRET', 'secret', kinds.integer(0, 1), undefined, { secret: true }),
      maybe: optional('MAYBE', 'optional', kinds.url()),
    };
    assert.throws(
      () => readConfig(schema, { PORT: 'x', MAX: 'lots', SECRET: 'hunter2' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.length === 3 &&
        error.message.includes('PORT must be an integer from 0 to 65535 (got "x")') &&
        !error.message.includes('hunter2'),
    );
    assert.deepEqual(readConfig(schema, { SECRET: '1' }), {
      port: 4000,
      size: 2 ** 30,
      secret: 1,
      maybe: undefined,
    });
    assert.deepEqual(describeSchema({ port: schema.port }), [
      { env: 'PORT', fallback: '4000', doc: 'port' },
    ]);
  });

  it('when sizes are shown to people, then they use binary units', () => {
    assert.equal(formatBytes(2 ** 30), '1 GiB');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(12), '12 B');
  });
});
