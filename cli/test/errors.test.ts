import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { eventually } from '@filegraph/testing/eventually';
import { freePort } from '@filegraph/processes/ports';
import { ScriptedServer } from '@filegraph/testing/scriptedServer';
import { tempDir } from '@filegraph/testing/temp';
import { commands } from '../src/commands.ts';
import { filegraph, stackTrace, type CliRun } from './cli.ts';

/** Every run here: none may end in a stack trace. */
async function cli(args: string[], options: Parameters<typeof filegraph>[1] = {}): Promise<CliRun> {
  const result = await filegraph(args, options);
  assert.doesNotMatch(result.stderr, stackTrace);
  return result;
}

const id = '0f8e4c2a-1b3d-4e5f-8a9b-0c1d2e3f4a5b';
const content = Buffer.from('the real bytes\n');
const file = {
  id,
  name: 'docs/report.txt',
  size: content.length,
  contentType: 'text/plain',
  checksum: createHash('sha256').update(content).digest('hex'),
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  url: `/download/${id}`,
  deletedAt: null,
};

async function body(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk as string;
  return text;
}

describe('the command line', () => {
  it('when no command is given, then the help goes to stderr and it exits 1', async () => {
    const result = await cli([]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^filegraph: scripted uploads/);
  });

  it('when --help is asked for, then every command and exit code is listed on stdout', async () => {
    const result = await cli(['--help']);
    assert.equal(result.code, 0);
    for (const command of commands)
      assert.match(result.stdout, new RegExp(`^  ${command.name} +\\S`, 'm'));
    for (const code of [0, 1, 2, 3, 4, 5])
      assert.match(result.stdout, new RegExp(`^ +${code}  \\S`, 'm'));
  });

  for (const command of commands) {
    it(`when ${command.name} --help is asked for, then its usage and options are printed and nothing is sent`, async () => {
      const result = await cli([command.name, '--help'], {
        env: { FILEGRAPH_URL: 'http://127.0.0.1:1' },
      });
      assert.equal(result.code, 0, result.stderr);
      assert.ok(result.stdout.startsWith(`Usage: ${command.usage}\n`));
    });
  }

  const usage: Array<[string, string[], RegExp]> = [
    ['an unknown command', ['copy', 'a'], /unknown command "copy"; the commands are upload, ls/],
    [
      'an unknown option',
      ['ls', '--recursive'],
      /Unknown option '--recursive'.*\(see filegraph ls --help\)/,
    ],
    [
      'an option without its value',
      ['upload', 'a.txt', '--to'],
      /Option '--to <value>' argument missing/,
    ],
    ['too few arguments', ['mv', 'a.txt'], /mv needs more arguments: filegraph mv/],
    ['too many arguments', ['get', 'a', 'b'], /get takes at most 1 argument, got 2/],
    [
      'a bad number',
      ['upload', 'a.txt', '--parallel', '0'],
      /--parallel must be a whole number from 1 to 16 \(got "0"\)/,
    ],
    [
      'a bad --url',
      ['ls', '--url', 'ftp://example.com'],
      /--url must be an http:\/\/ or https:\/\/ URL/,
    ],
    [
      'a file name that names a folder',
      ['get', 'docs/'],
      /"docs\/" ends with "\/": that names a folder/,
    ],
    [
      'a local path that does not exist',
      ['upload', 'no/such/file.txt'],
      /no such file or folder: no\/such\/file.txt/,
    ],
  ];
  for (const [what, args, message] of usage) {
    it(`when it has ${what}, then it exits 1 and says what is wrong, sending nothing`, async () => {
      // Nothing listens on port 1: a request would fail with exit 3, not 1.
      const result = await cli(args, { env: { FILEGRAPH_URL: 'http://127.0.0.1:1' } });
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, /^filegraph: USAGE: /);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '');
    });
  }

  it('when it is wrong and --json is given, then the error is JSON on stderr', async () => {
    for (const [args, message] of [
      [['ls', '--bogus', '--json'], /--bogus/],
      [['get', 'a.txt', '-o', '-', '--json'], /--json and -o - both write to stdout/],
    ] as const) {
      const result = await cli([...args], { env: { FILEGRAPH_URL: 'http://127.0.0.1:1' } });
      assert.equal(result.code, 1);
      assert.equal(result.stdout, '');
      const { error } = JSON.parse(result.stderr) as { error: { code: string; message: string } };
      assert.equal(error.code, 'USAGE');
      assert.match(error.message, message);
    }
  });
});

describe('talking to a server', () => {
  let server: ScriptedServer;
  let work: Awaited<ReturnType<typeof tempDir>>;
  const seen: Array<{ authorization: string | undefined; body: string }> = [];

  before(async () => {
    server = await ScriptedServer.start();
    work = await tempDir('cli-errors');
  });
  after(async () => {
    await server?.close();
    await work?.remove();
  });

  /** A filegraph that knows one file and serves `download` for its bytes. */
  const serveFile = (download: (res: ServerResponse) => void) => {
    server.handler = async (req, res) => {
      if (req.url?.startsWith('/download/')) return download(res);
      const text = await body(req);
      seen.push({ authorization: req.headers.authorization, body: text });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: { file } }));
    };
  };

  it('when nothing listens at the URL, then it exits 3 with UNREACHABLE', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const result = await cli(['ls'], { env: { FILEGRAPH_URL: url } });
    assert.equal(result.code, 3);
    assert.equal(
      result.stderr,
      `filegraph: UNREACHABLE: cannot reach ${url}: connection refused (is filegraph running there?)\n`,
    );
    const json = await cli(['rm', 'a.txt', '--json', '--url', url]);
    assert.equal(json.code, 3);
    assert.equal(
      (JSON.parse(json.stderr) as { error: { code: string } }).error.code,
      'UNREACHABLE',
    );
  });

  it('when something else answers, then it exits 3 with NOT_FILEGRAPH', async () => {
    server.handler = (_req, res) =>
      void res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>');
    const result = await cli(['ls', '--url', server.url]);
    assert.equal(result.code, 3);
    assert.match(
      result.stderr,
      /^filegraph: NOT_FILEGRAPH: .* did not answer like filegraph \(HTTP 502: "<h1>Bad gateway<\/h1>"\)\n$/,
    );
  });

  it('when a token is set, then every request carries it as a Bearer token, the flag over the environment', async () => {
    serveFile((res) => res.end(content));
    seen.length = 0;
    const env = { FILEGRAPH_URL: server.url, FILEGRAPH_TOKEN: 'from-env' };
    assert.equal((await cli(['get', id, '-o', '-'], { env })).code, 0);
    assert.equal((await cli(['get', id, '-o', '-', '--token', 'from-flag'], { env })).code, 0);
    assert.equal(
      (await cli(['get', id, '-o', '-'], { env: { FILEGRAPH_URL: server.url } })).code,
      0,
    );
    assert.deepEqual(
      seen.map((request) => request.authorization),
      ['Bearer from-env', 'Bearer from-flag', undefined],
    );
  });

  it('when the server refuses with its own error, then it exits 2 naming the code and message', async () => {
    server.handler = (_req, res) =>
      void res.writeHead(403, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          errors: [{ message: 'Only an admin may do this.', extensions: { code: 'FORBIDDEN' } }],
        }),
      );
    const result = await cli(['trash', '--url', `${server.url}/graphql`]);
    assert.equal(result.code, 2);
    assert.equal(result.stderr, 'filegraph: FORBIDDEN: Only an admin may do this.\n');
  });

  it('when the bytes downloaded do not match the checksum, then it exits 5 with CHECKSUM_MISMATCH and leaves nothing', async () => {
    serveFile((res) => res.end(Buffer.from('other bytes!!!\n')));
    const result = await cli(['get', id], { cwd: work.path, env: { FILEGRAPH_URL: server.url } });
    assert.equal(result.code, 5);
    assert.match(
      result.stderr,
      /^filegraph: CHECKSUM_MISMATCH: the bytes received \(15, SHA-256 [0-9a-f]{64}\) are not the file's \(15, [0-9a-f]{64}\); nothing was written\n$/,
    );
    assert.deepEqual(await readdir(work.path), []);
  });

  it('when the download breaks off, then it exits 3 and leaves nothing', async () => {
    serveFile((res) => {
      res.writeHead(200, { 'content-length': String(content.length) });
      res.write(content.subarray(0, 4), () => res.destroy());
    });
    const result = await cli(['get', id, '-o', 'report.txt'], {
      cwd: work.path,
      env: { FILEGRAPH_URL: server.url },
    });
    assert.equal(result.code, 3);
    assert.match(result.stderr, /^filegraph: UNREACHABLE: the download broke off after 4 B/);
    assert.deepEqual(await readdir(work.path), []);
  });

  it('when a download is interrupted with Ctrl-C, then it exits 130 and leaves no partial file', async () => {
    serveFile((res) => {
      res.writeHead(200, { 'content-length': String(10 * content.length) });
      res.write(content); // then nothing more: the download hangs halfway
    });
    let child: ChildProcess | undefined;
    const running = cli(['get', id, '-o', 'report.txt'], {
      cwd: work.path,
      env: { FILEGRAPH_URL: server.url },
      started: (started) => (child = started),
    });
    await eventually('a partial file', async () =>
      (await readdir(work.path)).find((name) => name.endsWith('.part')),
    );
    child?.kill('SIGINT');
    const result = await running;
    assert.equal(result.code, 130);
    assert.deepEqual(await readdir(work.path), []);
  });

  it('when the file cannot be written, then it exits 5 with LOCAL_FILE', async () => {
    serveFile((res) => res.end(content));
    const result = await cli(['get', id, '-o', 'no/such/folder/report.txt'], {
      cwd: work.path,
      env: { FILEGRAPH_URL: server.url },
    });
    assert.equal(result.code, 5);
    assert.match(result.stderr, /^filegraph: LOCAL_FILE: cannot write .*report\.txt: ENOENT/);
  });
});
