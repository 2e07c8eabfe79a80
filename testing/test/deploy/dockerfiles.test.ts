import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { accountsSettings } from '@filegraph/accounts/config';
import { filesSettings } from '@filegraph/files/config';
import { healthSettings } from '@filegraph/health/config';
import { gatewaySettings } from '@filegraph/supergraph/config';
import { tempDir } from '../../src/temp.ts';
import { environmentOf, loadCompose, repoRoot, type ComposeService } from './loadCompose.ts';

interface Instruction {
  readonly keyword: string;
  readonly args: string;
  /** The body of a heredoc (`COPY <<EOF …`), if the instruction has one. */
  readonly heredoc: string;
}

interface Stage {
  readonly image: string;
  readonly name: string | undefined;
  /** FROM's flags, e.g. `--platform=$BUILDPLATFORM`. */
  readonly flags: readonly string[];
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
  const stages: Array<Stage & { instructions: Instruction[] }> = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const all = instruction.args.split(/\s+/);
      const words = all.filter((word) => !word.startsWith('--'));
      const as = words.findIndex((word) => word.toUpperCase() === 'AS');
      stages.push({
        image: words[0] ?? '',
        name: as > 0 ? words[as + 1] : undefined,
        flags: all.filter((word) => word.startsWith('--')),
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

/** The one Dockerfile of every Node service; compose.yaml gives each its build arguments. */
const nodeServiceDockerfile = 'docker/node-service.Dockerfile';

/** compose's Node services: the workspace each one runs, and the port it listens on unless told otherwise. */
const nodeServices: Readonly<Record<string, { workspace: string; defaultPort?: string }>> = {
  files: { workspace: 'subgraphs/files', defaultPort: filesSettings.port.fallback },
  health: { workspace: 'subgraphs/health', defaultPort: healthSettings.port.fallback },
  accounts: { workspace: 'subgraphs/accounts', defaultPort: accountsSettings.port.fallback },
  gateway: { workspace: 'supergraph', defaultPort: gatewaySettings.port.fallback },
};

const dockerfiles = [nodeServiceDockerfile, 'frontend/Dockerfile', 'minio/Dockerfile'];

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

/** An instruction as Docker runs it for given build arguments. */
interface BuiltInstruction extends Instruction {
  /** The ARG and ENV values in scope: a RUN's environment. */
  readonly vars: Readonly<Record<string, string>>;
  /** The ENV values only: what the container starts with (build arguments are gone by then). */
  readonly env: Readonly<Record<string, string>>;
}

/** Docker expands variables in these instructions itself; RUN and CMD leave them to a shell, if any. */
const expanding = new Set([
  'ADD',
  'COPY',
  'ENV',
  'EXPOSE',
  'LABEL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

/** A stage's instructions for these build arguments, as Docker reads them. */
function buildStage(stage: Stage, buildArgs: Readonly<Record<string, string>>): BuiltInstruction[] {
  const vars: Record<string, string> = {};
  const env: Record<string, string> = {};
  return stage.instructions.map((instruction) => {
    const args = expanding.has(instruction.keyword)
      ? instruction.args.replace(
          /\$\{(\w+)\}|\$(\w+)/g,
          (_, braced?: string, bare?: string) => vars[braced ?? bare ?? ''] ?? '',
        )
      : instruction.args;
    if (instruction.keyword === 'ARG') {
      for (const word of args.split(/\s+/)) {
        const at = word.indexOf('=');
        const name = at < 0 ? word : word.slice(0, at);
        vars[name] = buildArgs[name] ?? (at < 0 ? '' : word.slice(at + 1));
      }
    } else if (instruction.keyword === 'ENV') {
      for (const [, name = '', value = ''] of args.matchAll(/(\w+)=(\S*)/g)) {
        vars[name] = value;
        env[name] = value;
      }
    }
    return { ...instruction, args, vars: { ...vars }, env: { ...env } };
  });
}

/** A service's build arguments in compose.yaml, whichever of the two forms it uses. */
function buildArgsOf(service: ComposeService | undefined): Record<string, string> {
  const build = service?.build;
  const args: unknown = typeof build === 'object' ? (build as { args?: unknown }).args : undefined;
  if (Array.isArray(args)) {
    return Object.fromEntries(
      args.map((entry: string) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries((args ?? {}) as Record<string, unknown>).map(([name, value]) => [
      name,
      String(value),
    ]),
  );
}

/** Repository paths of the modules that the sources under `folder` import on demand (`import('./…')`). */
function lazyImports(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = join(entry.parentPath, entry.name);
    const source = readFileSync(file, 'utf8');
    for (const [, specifier = ''] of source.matchAll(
      /\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g,
    )) {
      found.push(relative(repoRoot, join(dirname(file), specifier)));
    }
  }
  return found;
}

const compose = await loadCompose();
const scratch = await tempDir('dockerfiles');
after(() => scratch.remove());

/**
 * Stand-ins for npm, node and scripts/node-service: each records its
 * arguments (one a line), its PID and the environment the warm-up sets, and
 * fills NODE_COMPILE_CACHE as Node would (unless STUB_EMPTY_CACHE is set);
 * it exits with STUB_EXIT.
 */
function stub(name: string): string {
  return `#!/bin/sh
for arg in "$@"; do printf '%s\\n' "$arg"; done > "$STUB_RECORD/${name}.args"
printf '%s' "$$" > "$STUB_RECORD/${name}.pid"
printf 'PORT=%s\\nNODE_COMPILE_CACHE=%s\\n' "$PORT" "$NODE_COMPILE_CACHE" > "$STUB_RECORD/${name}.env"
if [ -n "$NODE_COMPILE_CACHE" ] && [ -z "$STUB_EMPTY_CACHE" ]; then
  mkdir -p "$NODE_COMPILE_CACHE" && : > "$NODE_COMPILE_CACHE/module"
fi
exit "\${STUB_EXIT:-0}"
`;
}
const stubBin = join(scratch.path, 'bin');
mkdirSync(stubBin);
for (const name of ['npm', 'node']) {
  writeFileSync(join(stubBin, name), stub(name));
  chmodSync(join(stubBin, name), 0o755);
}

interface Call {
  readonly args: readonly string[];
  readonly pid: number;
  readonly env: string;
}

let runs = 0;
/**
 * Runs `command` as Docker would in a fresh folder (/app): npm, node and
 * scripts/node-service are the stand-ins above. Returns how it ended and
 * what the stand-ins were called with.
 */
function runWithStubs(
  command: readonly string[],
  env: Readonly<Record<string, string>>,
): { status: number | null; stderr: string; pid: number | undefined; calls: Map<string, Call> } {
  const cwd = join(scratch.path, `run-${(runs += 1)}`);
  mkdirSync(join(cwd, 'scripts'), { recursive: true });
  writeFileSync(join(cwd, 'scripts/node-service'), stub('node-service'));
  chmodSync(join(cwd, 'scripts/node-service'), 0o755);
  const [program = '', ...args] = command;
  const result = spawnSync(program, args, {
    cwd,
    encoding: 'utf8',
    env: { PATH: `${stubBin}:${process.env.PATH ?? ''}`, STUB_RECORD: cwd, ...env },
  });
  const calls = new Map<string, Call>();
  for (const name of ['npm', 'node', 'node-service']) {
    const record = join(cwd, `${name}.args`);
    if (!existsSync(record)) continue;
    calls.set(name, {
      args: readFileSync(record, 'utf8').split('\n').slice(0, -1),
      pid: Number(readFileSync(join(cwd, `${name}.pid`), 'utf8')),
      env: readFileSync(join(cwd, `${name}.env`), 'utf8'),
    });
  }
  return { status: result.status, stderr: result.stderr, pid: result.pid, calls };
}

/** A RUN in shell form, the way Docker runs it: /bin/sh -c, the ARGs and ENVs in scope as environment. */
function runStep(
  instruction: BuiltInstruction,
  extra: Readonly<Record<string, string>> = {},
): ReturnType<typeof runWithStubs> {
  return runWithStubs(['/bin/sh', '-c', instruction.args], { ...instruction.vars, ...extra });
}

const nodeServiceStages = parseDockerfile(read(nodeServiceDockerfile));

describe(`${nodeServiceDockerfile} (every Node service)`, () => {
  const raw = nodeServiceStages.flatMap((stage) => stage.instructions);

  test('when compose builds a Node service, then it builds it with this Dockerfile from the repository root', () => {
    const built = Object.entries(compose.services).filter(
      ([, s]) => typeof s.build === 'object' && s.build.dockerfile === nodeServiceDockerfile,
    );
    assert.deepEqual(built.map(([name]) => name).sort(), Object.keys(nodeServices).sort());
    for (const [name, s] of built) {
      assert.equal(typeof s.build === 'object' && s.build.context, '.', `${name}'s build context`);
    }
  });

  test('when npm ci checks the lockfile, then every workspace manifest is there', () => {
    assertCopiesManifests(raw);
  });

  test('when WORKSPACE is not given, then the build stops before installing anything, naming it', () => {
    const deps = nodeServiceStages[0];
    assert.ok(deps);
    const ci = buildStage(deps, {}).find(
      ({ keyword, args }) => keyword === 'RUN' && /\bnpm ci\b/.test(args),
    );
    assert.ok(ci, 'no npm ci');
    const run = runStep(ci);
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /WORKSPACE/);
    assert.equal(run.calls.has('npm'), false, 'npm ran all the same');
  });

  test('when the warm-up leaves the compile cache empty, then the build fails', () => {
    const final = nodeServiceStages.at(-1);
    assert.ok(final);
    const warmUp = buildStage(final, { WORKSPACE: 'subgraphs/health' }).find(
      ({ keyword, args }) => keyword === 'RUN' && args.includes('NODE_COMPILE_CACHE='),
    );
    assert.ok(warmUp, 'no warm-up');
    assert.notEqual(runStep(warmUp, { STUB_EXIT: '1', STUB_EMPTY_CACHE: '1' }).status, 0);
  });

  test('when the files service keeps files on disk (DATA_DIR=./data), then that folder is the user’s the service runs as', () => {
    const final = nodeServiceStages.at(-1)?.instructions ?? [];
    const user = final.filter(({ keyword }) => keyword === 'USER').at(-1)?.args;
    assert.ok(
      final.some(
        ({ keyword, args }) =>
          keyword === 'RUN' && args.includes(`mkdir data && chown ${user}:${user} data`),
      ),
      `./data is not made and given to ${user}`,
    );
  });
});

for (const [name, { workspace, defaultPort }] of Object.entries(nodeServices)) {
  describe(`${nodeServiceDockerfile}, as compose builds ${name}`, () => {
    const service = compose.services[name];
    const buildArgs = buildArgsOf(service);
    const stages = nodeServiceStages.map((stage) => buildStage(stage, buildArgs));
    const all = stages.flat();
    const final = stages.at(-1) ?? [];
    const runSteps = all.filter(({ keyword }) => keyword === 'RUN');
    const preloads = (buildArgs.PRELOAD ?? '').split(/\s+/).filter(Boolean);

    test('when compose builds it, then it passes this workspace, the port the service listens on, and only arguments the Dockerfile declares', () => {
      assert.ok(service, `compose.yaml has no service ${name}`);
      assert.equal(buildArgs.WORKSPACE, workspace, 'WORKSPACE');
      assert.equal(buildArgs.SERVICE_PORT, defaultPort, 'SERVICE_PORT: not its default port');
      assert.equal(
        buildArgs.SERVICE_PORT,
        environmentOf(service).get('PORT'),
        'SERVICE_PORT: not its PORT',
      );
      const declared = new Set(
        nodeServiceStages
          .flatMap((stage) => stage.instructions)
          .filter(({ keyword }) => keyword === 'ARG')
          .flatMap(({ args }) => args.split(/\s+/).map((word) => word.split('=')[0])),
      );
      for (const arg of Object.keys(buildArgs)) {
        assert.ok(declared.has(arg), `${arg} is no ARG of ${nodeServiceDockerfile}`);
      }
      const exposed = final.filter(({ keyword }) => keyword === 'EXPOSE').map(({ args }) => args);
      assert.deepEqual(exposed, [defaultPort]);
    });

    test('when dependencies are installed, then only the runtime ones of this workspace come from the lockfile, without install scripts', () => {
      const ci = runSteps.find(({ args }) => /\bnpm ci\b/.test(args));
      assert.ok(ci, 'no npm ci');
      const run = runStep(ci);
      assert.equal(run.status, 0, run.stderr);
      const npm = run.calls.get('npm')?.args ?? [];
      assert.equal(npm[0], 'ci');
      assert.equal(npm[npm.indexOf('--workspace') + 1], workspace, `npm ${npm.join(' ')}`);
      for (const flag of ['--omit=dev', '--ignore-scripts']) {
        assert.ok(npm.includes(flag), `npm ci lacks ${flag}`);
      }
    });

    test('when the container starts, then the service starts as npm start starts it, through scripts/node-service, as PID 1', () => {
      const cmd: unknown = JSON.parse(
        final.find(({ keyword }) => keyword === 'CMD')?.args ?? 'null',
      );
      assert.ok(
        Array.isArray(cmd) && cmd.every((word) => typeof word === 'string'),
        'CMD is not in exec form',
      );
      const run = runWithStubs(cmd as string[], final.at(-1)?.env ?? {});
      assert.equal(run.status, 0, run.stderr);
      const started = run.calls.get('node-service');
      assert.deepEqual(started?.args, [`${workspace}/src/main.ts`]);
      assert.equal(
        started?.pid,
        run.pid,
        'scripts/node-service does not replace the process Docker started',
      );
      const manifest = JSON.parse(read(`${workspace}/package.json`)) as {
        scripts: { start: string };
      };
      assert.match(manifest.scripts.start, /scripts\/node-service src\/main\.ts$/);
      assert.ok(existsSync(join(repoRoot, workspace, 'src/main.ts')));
      const copied = all.filter(({ keyword }) => keyword === 'COPY').map(({ args }) => args);
      assert.ok(copied.includes(`${workspace}/src ${workspace}/src`), 'sources not copied');
      assert.ok(copied.includes('shared/src shared/src'), 'shared sources not copied');
      assert.ok(
        copied.includes('scripts/node-service scripts/probe-ready.mjs scripts/'),
        'scripts/node-service and the health check, scripts/probe-ready.mjs, not copied',
      );
    });

    test('when the service imports a module only on demand, then PRELOAD names it, and every module named there is in the image', () => {
      for (const module of lazyImports(join(repoRoot, workspace, 'src'))) {
        assert.ok(preloads.includes(module), `${module} is imported on demand, and not in PRELOAD`);
      }
      for (const module of preloads) {
        assert.ok(existsSync(join(repoRoot, module)), `${module} does not exist`);
        assert.ok(
          [`${workspace}/src/`, 'shared/src/'].some((folder) => module.startsWith(folder)),
          `${module} is not copied into the image`,
        );
      }
    });

    test('when the image is built, then Node’s compile cache is warmed with main.ts and every preloaded module, so the TypeScript stripper never loads', () => {
      const warmUp = runSteps.find(({ args }) => args.includes('NODE_COMPILE_CACHE='));
      assert.ok(warmUp, 'no warm-up');
      // Node exits 1 there, on the invalid PORT: the build goes on all the same.
      const run = runStep(warmUp, { STUB_EXIT: '1' });
      assert.equal(run.status, 0, run.stderr);
      const node = run.calls.get('node');
      assert.deepEqual(node?.args, [
        ...preloads.flatMap((module) => ['--import', `./${module}`]),
        `${workspace}/src/main.ts`,
      ]);
      assert.equal(node.env, 'PORT=warm-up\nNODE_COMPILE_CACHE=node_modules/.cache/node-compile\n');
      // The real Node with those arguments loads every module and stops at its config, on PORT.
      const cache = join(scratch.path, `compile-cache-${name}`);
      const real = spawnSync(process.execPath, node.args, {
        cwd: repoRoot,
        encoding: 'utf8',
        env: { ...process.env, ...warmUp.vars, PORT: 'warm-up', NODE_COMPILE_CACHE: cache },
      });
      assert.notEqual(real.status, 0);
      assert.match(
        real.stderr,
        /\bPORT\b.*warm-up/,
        `it stopped before its config:\n${real.stderr}`,
      );
      assert.ok(readdirSync(cache).length > 0, 'nothing was cached');
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

  test('when the image is built for several platforms, then the bundle, the same files for each, is built on the builder’s own', () => {
    assert.ok(
      stages[0]?.flags.includes('--platform=$BUILDPLATFORM'),
      'the build stage is emulated',
    );
    assert.equal(final?.flags.length, 0, 'the runtime stage is not the target platform’s');
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

  test('when the image is built for another platform, then Go cross-compiles on the builder’s own and the binaries land where the runtime stage takes them', () => {
    const build = stages[0];
    assert.ok(build, 'no build stage');
    assert.ok(build.flags.includes('--platform=$BUILDPLATFORM'), 'the compiler is emulated');
    const built = buildStage(build, { TARGETOS: 'linux', TARGETARCH: 'arm64' });
    const goEnv = built.find(({ keyword, args }) => keyword === 'ENV' && args.includes('GOOS='));
    assert.equal(goEnv?.vars.GOOS, 'linux');
    assert.equal(goEnv?.vars.GOARCH, 'arm64');
    assert.equal(goEnv?.vars.CGO_ENABLED, '0', 'not a static binary');
    // go install puts cross-compiled binaries in bin/<os>_<arch>/, native ones in bin/.
    const runtime = stages.at(-1)?.instructions ?? [];
    const copied = runtime.find(
      ({ keyword, args }) => keyword === 'COPY' && args.includes('--from=build'),
    );
    const binaries = (copied?.args.split(/\s+/).slice(1, -1) ?? []).filter(
      (word) => !word.startsWith('--'),
    );
    assert.deepEqual(binaries, ['/go/bin/minio', '/go/bin/mc']);
    const move = built.find(
      ({ keyword, args }) => keyword === 'RUN' && args.includes('/go/bin/${GOOS}_${GOARCH}'),
    );
    assert.ok(move, 'cross-compiled binaries stay in bin/<os>_<arch>/');
    for (const [label, folder] of [
      ['cross-compiled', 'bin/linux_arm64'],
      ['native', 'bin'],
    ] as const) {
      const go = join(scratch.path, `go-${label}`);
      mkdirSync(join(go, folder), { recursive: true });
      for (const binary of ['minio', 'mc']) writeFileSync(join(go, folder, binary), '');
      const run = runWithStubs(
        ['/bin/sh', '-c', move.args.replaceAll('/go/', `${go}/`)],
        move.vars,
      );
      assert.equal(run.status, 0, `${label}: ${run.stderr}`);
      for (const binary of binaries) {
        assert.ok(existsSync(binary.replace('/go/', `${go}/`)), `${label}: ${binary} is missing`);
      }
    }
  });

  const ciRun = join(repoRoot, 'scripts/tools/ensure.sh');
  test(
    'when CI installs MinIO and its client, then it builds the same versions as the image',
    {
      skip: existsSync(ciRun)
        ? false
        : 'scripts/tools/ensure.sh does not exist yet: nothing to compare with',
    },
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

/** The version `go install github.com/minio/<module>@…` names in scripts/tools/ensure.sh, through a variable if it uses one. */
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
