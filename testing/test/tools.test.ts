import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startProcess } from '@filegraph/processes/processes';
import { ensureScript, goInstallCommand, requireTool, type Tool } from '@filegraph/processes/tools';
import { tempDir } from '../src/temp.ts';

const debianTools = ['haproxy', 'chromium', 'postgresql'];
const goTools: readonly Tool[] = [
  'minio',
  'mc',
  'versitygw',
  'actionlint',
  'helm',
  'prometheus',
  'promtool',
  'alertmanager',
  'mailpit',
  'victoria-logs',
];

/**
 * scripts/tools/ensure.sh on a machine that has none of the tools: each
 * override names a file that is not there, HOME has no go/bin, and `id`, `sudo`
 * and `go` are stand-ins that say who we are and what Go there is (`openssl`
 * `curl` and `unzip` stand in for ones that are there). Nothing is installed: a dry
 * run, or a run that cannot install.
 */
describe('scripts/tools/ensure.sh on a bare machine', () => {
  let folder: Awaited<ReturnType<typeof tempDir>>;
  const bin = () => join(folder.path, 'bin');

  before(async () => {
    folder = await tempDir('ensure');
    await mkdir(bin());
    await mkdir(join(folder.path, 'home'));
  });
  after(() => folder.remove());

  async function standIns(uid: number, goVersion: string): Promise<void> {
    const scripts = {
      id: `#!/bin/sh\necho ${uid}\n`,
      sudo: '#!/bin/sh\nexit 1\n',
      go: `#!/bin/sh\n[ "$*" = "env GOVERSION" ] && echo ${goVersion}\n`,
      // There, whatever this machine has: only what the tests need is asked for.
      openssl: '#!/bin/sh\n',
      curl: '#!/bin/sh\n',
      unzip: '#!/bin/sh\n',
    };
    for (const [name, text] of Object.entries(scripts)) {
      await writeFile(join(bin(), name), text);
      await chmod(join(bin(), name), 0o755);
    }
  }

  function ensure(extra: Record<string, string> = {}) {
    const none = join(folder.path, 'none');
    const started = performance.now();
    const result = spawnSync('/bin/bash', [ensureScript], {
      encoding: 'utf8',
      timeout: 10_000,
      env: {
        PATH: `${bin()}:/usr/bin:/bin`,
        HOME: join(folder.path, 'home'),
        HAPROXY_BIN: join(none, 'haproxy'),
        CHROMIUM_BIN: join(none, 'chromium'),
        PG_BIN: none,
        ...extra,
      },
    });
    return { ...result, ms: performance.now() - started };
  }

  test('when it is a dry run as root, then it names each missing tool with its install command, and would install exactly those, within two seconds', async () => {
    await standIns(0, 'go1.26.0');
    const { status, stdout, stderr, ms } = ensure({ ENSURE_DRY_RUN: '1' });
    assert.equal(status, 0, stderr);
    assert.ok(ms < 2_000, `took ${ms} ms`);
    for (const tool of debianTools) {
      assert.match(stdout, new RegExp(`^missing ${tool}: apt-get install .*\\b${tool}$`, 'm'));
    }
    for (const tool of goTools) {
      const module = goInstallCommand(tool)?.replace('go install ', '') ?? '';
      assert.match(module, /@v\d/);
      assert.ok(stdout.includes(`missing ${tool}: `) && stdout.includes(` install ${module})`));
    }
    const wouldRun = stdout.split('\n').filter((line) => line.startsWith('would run: '));
    assert.match(
      wouldRun[0] ?? '',
      /^would run: apt-get update && apt-get install -y --no-install-recommends haproxy chromium postgresql$/,
    );
    assert.equal(wouldRun.length, 1 + goTools.length);
    // What is there (openssl, curl, the npm packages) is left alone.
    assert.doesNotMatch(stdout, /missing (openssl|curl|npm)/);
  });

  test('when its Go is too old, then a dry run says it would fetch the pinned Go from the module proxy and build with that', async () => {
    await standIns(0, 'go1.19.8');
    const { status, stdout, stderr } = ensure({ ENSURE_DRY_RUN: '1' });
    assert.equal(status, 0, stderr);
    assert.match(
      stdout,
      /^missing Go 1\.26 \(found: go1\.19\.8\): fetched from https:\/\/proxy\.golang\.org\/golang\.org\/toolchain\/@v\/v0\.0\.1-go1\.26\.\d+\.linux-(amd64|arm64)\.zip into \S+\/\.cache\/filegraph\/go1\.26\.\d+$/m,
    );
    const wouldRun = stdout.split('\n').filter((line) => line.startsWith('would run: '));
    assert.match(wouldRun[1] ?? '', /^would run: curl -fsSL \S+\.zip, unzip into /);
    assert.equal(wouldRun.length, 2 + goTools.length);
    for (const line of wouldRun.slice(2))
      assert.match(line, /\/\.cache\/filegraph\/go1\.26\.\d+\/bin\/go install /);
  });

  test('when it cannot install (not root, sudo asks for a password, Go too old), then it stops within two seconds, naming each tool and the command to run', async () => {
    await standIns(1000, 'go1.19.8');
    const { status, stdout, stderr, ms } = ensure();
    assert.equal(status, 1);
    assert.ok(ms < 2_000, `took ${ms} ms`);
    for (const tool of debianTools) {
      assert.match(stdout, new RegExp(`^missing ${tool}: sudo apt-get install .*\\b${tool}$`, 'm'));
    }
    for (const tool of goTools)
      assert.match(stdout, new RegExp(`^missing ${tool}: .*go install `, 'm'));
    assert.match(
      stderr,
      /cannot install: apt-get needs root .*`sudo apt-get install -y --no-install-recommends haproxy chromium postgresql`/,
    );
    // Go is fetched, not installed: with curl and unzip there, it is no reason to stop.
    assert.match(stdout, /^missing Go 1\.26 \(found: go1\.19\.8\): fetched from /m);
    assert.doesNotMatch(stderr, /Go 1\.26 or newer is needed/);
    assert.match(stderr, /`npm run test:unit` needs none of these tools/);
  });
});

describe('requireTool', () => {
  test('when a tool is not there, then it throws at once, naming the tool and the command that installs it', () => {
    assert.throws(
      () => requireTool('haproxy', { HAPROXY_BIN: '/nonexistent/haproxy' }),
      /^Error: haproxy not found \(looked at HAPROXY_BIN=\/nonexistent\/haproxy\): install it with `apt-get install haproxy`/,
    );
    assert.throws(
      () => requireTool('initdb', { PG_BIN: '/nonexistent' }),
      /initdb not found .*`apt-get install postgresql`/,
    );
    assert.throws(
      () => requireTool('minio', { MINIO_BIN: '/nonexistent/minio' }),
      /minio not found .*`go install github\.com\/minio\/minio@v[^`]+`.*or set MINIO_BIN\.$/,
    );
  });

  test('when a variable names the tool, then that file is the one used', () => {
    assert.equal(requireTool('helm', { HELM_BIN: '/bin/sh' }), '/bin/sh');
  });
});

describe('startProcess', () => {
  test('when the program is not there, then it fails at once, naming it', async () => {
    const started = performance.now();
    await assert.rejects(
      startProcess({
        name: 'haproxy',
        command: '/nonexistent/haproxy',
        args: [],
        ready: (line) => line.includes('ready'),
      }),
      /haproxy: cannot start \/nonexistent\/haproxy: .*ENOENT/,
    );
    assert.ok(performance.now() - started < 1_000);
  });
});
