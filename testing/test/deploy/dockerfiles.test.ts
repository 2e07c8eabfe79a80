import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { repoRoot } from './loadCompose.ts';

interface Instruction {
  readonly keyword: string;
  readonly args: string;
  /** The body of a heredoc (`COPY <<EOF …`), if the instruction has one. */
  readonly heredoc: string;
}

interface Stage {
  readonly image: string;
  readonly name: string | undefined;
  readonly instructions: readonly Instruction[];
}

/** A small Dockerfile reader: continuation lines joined, comments dropped, heredocs kept whole. */
function parseDockerfile(text: string): Stage[] {
  const lines = text.split('\n');
  const instructions: Instruction[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    let line = lines[i] ?? '';
    if (/^\s*(#|$)/.test(line)) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) {
      i += 1;
      const next = lines[i] ?? '';
      if (!/^\s*#/.test(next)) line = `${line.slice(0, -1)} ${next.trim()}`;
    }
    const [, keyword = '', args = ''] = /^\s*(\S+)\s*(.*)$/.exec(line) ?? [];
    let heredoc = '';
    const delimiter = /<<-?["']?(\w+)["']?/.exec(args)?.[1];
    if (delimiter) {
      const body: string[] = [];
      while (i + 1 < lines.length && lines[i + 1]?.trim() !== delimiter)
        body.push(lines[++i] ?? '');
      i += 1;
      heredoc = body.join('\n');
    }
    instructions.push({ keyword: keyword.toUpperCase(), args: args.trim(), heredoc });
  }
  const stages: Array<{ image: string; name: string | undefined; instructions: Instruction[] }> =
    [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const words = instruction.args.split(/\s+/).filter((word) => !word.startsWith('--'));
      const as = words.findIndex((word) => word.toUpperCase() === 'AS');
      stages.push({
        image: words[0] ?? '',
        name: as > 0 ? words[as + 1] : undefined,
        instructions: [],
      });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

function read(path: string): string {
  return readFileSync(join(repoRoot, path), 'utf8');
}

const workspaces = (JSON.parse(read('package.json')) as { workspaces: string[] }).workspaces;

const nodeServices = {
  'subgraphs/files/Dockerfile': 'subgraphs/files',
  'subgraphs/health/Dockerfile': 'subgraphs/health',
  'supergraph/Dockerfile': 'supergraph',
};
const dockerfiles = [...Object.keys(nodeServices), 'frontend/Dockerfile', 'minio/Dockerfile'];

for (const path of dockerfiles) {
  describe(path, () => {
    const stages = parseDockerfile(read(path));
    const all = stages.flatMap((stage) => stage.instructions);
    const final = stages.at(-1);

    test('when it is built, then it has a build stage and a separate runtime stage', () => {
      assert.ok(stages.length >= 2, 'not multi-stage');
    });

    test('when it is built, then every base image is pinned to a version', () => {
      const names = new Set<string>();
      for (const stage of stages) {
        if (!names.has(stage.image)) {
          assert.match(stage.image, /^[\w./-]+:[\w.-]*\d[\w.-]*(@sha256:[0-9a-f]{64})?$/);
          assert.doesNotMatch(stage.image, /:latest\b/);
        }
        if (stage.name) names.add(stage.name);
      }
    });

    test('when it is built, then it fetches nothing by URL behind the package managers’ backs', () => {
      for (const { keyword, args } of all) {
        if (keyword === 'ADD') assert.doesNotMatch(args, /\b(https?|git):\/\//, `ADD ${args}`);
        assert.doesNotMatch(`${keyword} ${args}`, /\bnpm (install|i)\b/, 'npm install, not npm ci');
      }
    });

    test('when the container runs, then it runs as a user other than root', () => {
      const users = final?.instructions.filter((instruction) => instruction.keyword === 'USER');
      const user = users?.at(-1)?.args;
      assert.ok(user, 'the runtime stage sets no USER');
      assert.doesNotMatch(user, /^(root|0)(:|$)/);
    });
  });
}

for (const [path, workspace] of Object.entries(nodeServices)) {
  describe(`${path} (Node service)`, () => {
    const stages = parseDockerfile(read(path));
    const all = stages.flatMap((stage) => stage.instructions);
    const runs = all.filter(({ keyword }) => keyword === 'RUN').map(({ args }) => args);

    test('when dependencies are installed, then only the runtime ones of this workspace come from the lockfile, without install scripts', () => {
      const ci = runs.find((run) => /\bnpm ci\b/.test(run));
      assert.ok(ci, 'no npm ci');
      for (const flag of [`--workspace ${workspace}`, '--omit=dev', '--ignore-scripts']) {
        assert.ok(ci.includes(flag), `npm ci lacks ${flag}`);
      }
    });

    test('when npm ci checks the lockfile, then every workspace manifest is there', () => {
      assertCopiesManifests(all);
    });

    test('when the container starts, then the service starts as npm start starts it, through scripts/node-service', () => {
      const cmd = stages.at(-1)?.instructions.find(({ keyword }) => keyword === 'CMD')?.args;
      assert.deepEqual(JSON.parse(cmd ?? 'null'), [
        'scripts/node-service',
        `${workspace}/src/main.ts`,
      ]);
      const manifest = JSON.parse(
        readFileSync(join(repoRoot, workspace, 'package.json'), 'utf8'),
      ) as {
        scripts: { start: string };
      };
      assert.match(manifest.scripts.start, /scripts\/node-service src\/main\.ts$/);
      assert.ok(existsSync(join(repoRoot, workspace, 'src/main.ts')));
      const copied = all.filter(({ keyword }) => keyword === 'COPY').map(({ args }) => args);
      assert.ok(copied.includes(`${workspace}/src ${workspace}/src`), 'sources not copied');
      assert.ok(
        copied.includes('scripts/node-service scripts/probe-ready.mjs scripts/'),
        'scripts/node-service and the health check, scripts/probe-ready.mjs, not copied',
      );
    });

    test('when the image is built, then Node’s compile cache is warmed, so the TypeScript stripper never loads', () => {
      assert.ok(
        runs.some((run) =>
          /NODE_COMPILE_CACHE=node_modules\/\.cache\/node-compile node .*src\/main\.ts/.test(run),
        ),
      );
      // A module preloaded for the cache that no longer exists fails the build.
      for (const run of runs) {
        for (const [, module] of run.matchAll(/--import (\S+)/g)) {
          assert.ok(existsSync(join(repoRoot, module ?? '')), `${module} does not exist`);
        }
      }
    });
  });
}

function assertCopiesManifests(instructions: readonly Instruction[]): void {
  const copied = instructions
    .filter(({ keyword }) => keyword === 'COPY')
    .flatMap(({ args }) => args.split(/\s+/).slice(0, -1));
  for (const manifest of [
    'package.json',
    'package-lock.json',
    ...workspaces.map((w) => `${w}/package.json`),
  ]) {
    assert.ok(copied.includes(manifest), `${manifest} is not copied before npm ci`);
  }
}

describe('frontend/Dockerfile (web UI)', () => {
  const stages = parseDockerfile(read('frontend/Dockerfile'));
  const all = stages.flatMap((stage) => stage.instructions);
  const final = stages.at(-1);

  test('when the UI is built, then Vite runs on dependencies from the lockfile', () => {
    const runs = all.filter(({ keyword }) => keyword === 'RUN').map(({ args }) => args);
    assert.ok(runs.some((run) => /\bnpm ci --workspace frontend\b.*--ignore-scripts/.test(run)));
    assert.ok(runs.some((run) => /\bnpm run build --workspace frontend\b/.test(run)));
    assertCopiesManifests(all);
  });

  test('when the container serves the UI, then an unprivileged nginx answers on 8080 with a single-page fallback', () => {
    assert.match(final?.image ?? '', /^nginxinc\/nginx-unprivileged:/);
    const copies = final?.instructions.filter(({ keyword }) => keyword === 'COPY') ?? [];
    assert.ok(copies.some(({ args }) => args.includes('/app/frontend/dist /usr/share/nginx/html')));
    const conf = copies.map(({ heredoc }) => heredoc).join('\n');
    assert.match(conf, /listen 8080;/);
    assert.match(conf, /try_files \$uri \$uri\/ \/index\.html;/);
    assert.match(conf, /location = \/healthz/);
  });
});

describe('minio/Dockerfile (MinIO from source)', () => {
  const stages = parseDockerfile(read('minio/Dockerfile'));
  const all = stages.flatMap((stage) => stage.instructions);
  const installed = /go install\b.*\bgithub\.com\/minio\/minio@(\S+)/.exec(
    all.map(({ args }) => args).join('\n'),
  )?.[1];

  test('when MinIO is built, then go install builds a pinned version in a golang stage', () => {
    assert.match(stages[0]?.image ?? '', /^golang:/);
    assert.match(installed ?? '', /^v\d+\.\d+\.\d+(-[\w.-]+)?$/);
  });

  test('when the container runs, then its health check asks for readiness, not liveness', () => {
    const healthcheck = stages
      .at(-1)
      ?.instructions.find(({ keyword }) => keyword === 'HEALTHCHECK');
    assert.match(healthcheck?.args ?? '', /\/minio\/health\/cluster/);
  });

  const ciRun = join(repoRoot, '.ci/run');
  test(
    'when CI installs MinIO and its client, then it builds the same versions as the image',
    { skip: existsSync(ciRun) ? false : '.ci/run does not exist yet: nothing to compare with' },
    () => {
      const script = readFileSync(ciRun, 'utf8');
      assert.equal(ciGoVersion(script, 'minio'), installed);
      const client = /go install\b.*\bgithub\.com\/minio\/mc@(\S+)/.exec(
        all.map(({ args }) => args).join('\n'),
      )?.[1];
      assert.match(client ?? '', /^v\d+\.\d+\.\d+(-[\w.-]+)?$/);
      assert.equal(ciGoVersion(script, 'mc'), client);
    },
  );
});

/** The version `go install github.com/minio/<module>@…` names in .ci/run, through a variable if it uses one. */
function ciGoVersion(script: string, module: string): string | undefined {
  const named = new RegExp(`github\\.com\\/minio\\/${module}@["']?([^\\s"']+)`).exec(script)?.[1];
  const variable = /^\$\{?(\w+)\}?$/.exec(named ?? '')?.[1];
  if (!variable) return named;
  return new RegExp(`^\\s*(?:export\\s+|readonly\\s+)?${variable}=["']?([^\\s"']+)`, 'm').exec(
    script,
  )?.[1];
}

describe('.dockerignore', () => {
  test('when an image is built, then dependencies, data and history stay out of the context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['**/node_modules', '.git', 'data', 'test-results', 'frontend/dist']) {
      assert.ok(ignored.includes(entry), `${entry} is not ignored`);
    }
  });
});
