import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parse } from 'yaml';
import { goInstallCommand, requireTool } from '@filegraph/processes/tools';
import { tempDir } from '../../src/temp.ts';
import { loadCompose, repoRoot, type ComposeService } from './loadCompose.ts';

/** The version the tests' set-up installs (scripts/tools/ensure.sh). */
const actionlintModule = 'github.com/rhysd/actionlint/cmd/actionlint@v1.7.12';

interface Step {
  readonly id?: string;
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Readonly<Record<string, string | number | boolean>>;
  readonly env?: Readonly<Record<string, string>>;
}

interface Job {
  readonly 'runs-on': string;
  readonly 'timeout-minutes'?: number;
  readonly needs?: string | readonly string[];
  readonly if?: string;
  readonly permissions?: string | Readonly<Record<string, string>>;
  readonly container?: { readonly image: string; readonly options?: string };
  readonly strategy?: { readonly matrix?: { readonly include?: readonly Matrix[] } };
  readonly steps: readonly Step[];
}

type Matrix = Readonly<Record<string, string>>;

interface Workflow {
  readonly on: Readonly<Record<string, unknown>>;
  readonly permissions?: string | Readonly<Record<string, string>>;
  readonly concurrency?: { readonly group: string; readonly 'cancel-in-progress'?: string };
  readonly jobs: Readonly<Record<string, Job>>;
}

const workflowPath = '.github/workflows/ci.yml';
const text = readFileSync(join(repoRoot, workflowPath), 'utf8');
const workflow = parse(text) as Workflow;

function job(name: string): Job {
  const found = workflow.jobs[name];
  assert.ok(found, `${workflowPath} has no job ${name}`);
  return found;
}

/** The jobs that push images: they log in to a registry. */
function publishingJobs(): Array<[string, Job]> {
  return Object.entries(workflow.jobs).filter(([, j]) =>
    j.steps.some((step) => step.uses?.startsWith('docker/login-action@')),
  );
}

/** The one step of a job that uses `action` (owner/name). */
function stepUsing(j: Job, action: string): Step {
  const steps = j.steps.filter((step) => step.uses?.startsWith(`${action}@`));
  assert.equal(steps.length, 1, `one step uses ${action}`);
  return steps[0] as Step;
}

// ---------------------------------------------------------------------------
// A small evaluator for the GitHub Actions expressions the workflow uses:
// literals, contexts (a.b, a['b']), ! == != && || ( ), startsWith, endsWith,
// contains. Strings compare case-insensitively, as GitHub does.
// https://docs.github.com/en/actions/reference/workflows-and-actions/expressions

type Value = string | number | boolean | null | { readonly [key: string]: Value };

function evaluate(expression: string, context: Readonly<Record<string, Value>>): Value {
  const tokens = [
    ...expression.matchAll(/\s*('(?:[^']|'')*'|&&|\|\||==|!=|[!().,[\]]|[\w-]+(?:\.\d+)?)/gy),
  ].map((match) => match[1] ?? '');
  assert.equal(tokens.join('').length, expression.replace(/\s+/g, '').length, expression);
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string) => {
    const token = tokens[at++];
    if (expected !== undefined) assert.equal(token, expected, expression);
    return token ?? '';
  };
  const truthy = (value: Value) => value !== false && value !== 0 && value !== '' && value !== null;
  const equal = (a: Value, b: Value) =>
    typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : a === b;
  const functions: Record<string, (a: Value, b: Value) => Value> = {
    startswith: (a, b) => String(a).toLowerCase().startsWith(String(b).toLowerCase()),
    endswith: (a, b) => String(a).toLowerCase().endsWith(String(b).toLowerCase()),
    contains: (a, b) => String(a).toLowerCase().includes(String(b).toLowerCase()),
  };
  function or(): Value {
    let value = and();
    while (peek() === '||') {
      take();
      const right = and();
      value = truthy(value) ? value : right;
    }
    return value;
  }
  function and(): Value {
    let value = comparison();
    while (peek() === '&&') {
      take();
      const right = comparison();
      value = truthy(value) ? right : value;
    }
    return value;
  }
  function comparison(): Value {
    let value = unary();
    while (peek() === '==' || peek() === '!=') {
      const operator = take();
      const right = unary();
      value = equal(value, right) === (operator === '==');
    }
    return value;
  }
  function unary(): Value {
    if (peek() === '!') {
      take();
      return !truthy(unary());
    }
    return primary();
  }
  function primary(): Value {
    const token = take();
    if (token === '(') {
      const value = or();
      take(')');
      return value;
    }
    if (token.startsWith("'")) return token.slice(1, -1).replaceAll("''", "'");
    if (/^\d/.test(token)) return Number(token);
    if (token === 'true' || token === 'false') return token === 'true';
    if (token === 'null') return null;
    if (peek() === '(') {
      take();
      const args = [or()];
      while (peek() === ',') {
        take();
        args.push(or());
      }
      take(')');
      const fn = functions[token.toLowerCase()];
      assert.ok(fn, `unknown function ${token}`);
      return fn(args[0] ?? null, args[1] ?? null);
    }
    let value: Value = context[token] ?? null;
    for (;;) {
      let key: Value;
      if (peek() === '.') {
        take();
        key = take();
      } else if (peek() === '[') {
        take();
        key = or();
        take(']');
      } else {
        return value;
      }
      value = typeof value === 'object' && value !== null ? (value[String(key)] ?? null) : null;
    }
  }
  const value = or();
  assert.equal(at, tokens.length, `cannot read ${expression}`);
  return value;
}

/** A value with `${{ … }}` in it, as the runner fills it in. */
function fill(template: string, context: Readonly<Record<string, Value>>): string {
  return template.replace(/\$\{\{(.*?)\}\}/g, (_, expression: string) => {
    const value = evaluate(expression, context);
    return value === null ? '' : String(value);
  });
}

/** A job's or step's `if`, with or without `${{ }}`. */
function condition(expression: string | undefined, context: Readonly<Record<string, Value>>) {
  if (expression === undefined) return true;
  const inner = /^\s*\$\{\{(.*)\}\}\s*$/s.exec(expression)?.[1] ?? expression;
  const value = evaluate(inner, context);
  return value !== false && value !== 0 && value !== '' && value !== null;
}

// ---------------------------------------------------------------------------
// Events, as the github context and the runner's environment show them.

interface Event {
  readonly github: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string>>;
}

const sha = '0123456789abcdef0123456789abcdef01234567';

function event(eventName: string, ref: string): Event {
  const refType = ref.startsWith('refs/tags/') ? 'tag' : 'branch';
  const refName = ref.replace(/^refs\/(heads|tags)\//, '');
  const github = {
    event_name: eventName,
    ref,
    ref_type: refType,
    ref_name: refName,
    sha,
    repository: 'Acme-Org/filegraph',
    repository_owner: 'Acme-Org',
    server_url: 'https://github.com',
    workflow: 'ci',
    actor: 'someone',
  };
  return {
    github,
    env: Object.fromEntries(
      Object.entries(github).map(([name, value]) => [`GITHUB_${name.toUpperCase()}`, value]),
    ),
  };
}

const push = (ref: string) => event('push', ref);
const pullRequest = (number: number) => event('pull_request', `refs/pull/${number}/merge`);

const scratch = await tempDir('workflow');
after(() => scratch.remove());

let stepRuns = 0;
/** Runs a `run:` step as the runner does on Ubuntu (bash -eo pipefail), returning what it wrote to GITHUB_OUTPUT. */
function runStep(step: Step, on: Event, context: Readonly<Record<string, Value>>) {
  assert.ok(step.run, 'not a run step');
  stepRuns += 1;
  const script = join(scratch.path, `step-${stepRuns}.sh`);
  const output = join(scratch.path, `output-${stepRuns}`);
  writeFileSync(script, fill(step.run, context));
  writeFileSync(output, '');
  const env = Object.fromEntries(
    Object.entries(step.env ?? {}).map(([name, value]) => [name, fill(value, context)]),
  );
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...on.env, ...env, GITHUB_OUTPUT: output },
  });
  assert.equal(result.status, 0, result.stderr);
  return new Map(
    readFileSync(output, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/** What the publish job builds and pushes for each entry of its matrix, on `on`. */
function published(on: Event) {
  const publish = job('publish');
  const build = stepUsing(publish, 'docker/build-push-action');
  const outputsOf = /steps\.([\w-]+)\.outputs/.exec(String(build.with?.tags))?.[1];
  const tagStep = publish.steps.find((step) => step.id === outputsOf);
  return (publish.strategy?.matrix?.include ?? []).map((matrix) => {
    const context: Record<string, Value> = { github: on.github, matrix };
    if (tagStep) {
      context.steps = {
        [tagStep.id ?? '']: { outputs: Object.fromEntries(runStep(tagStep, on, context)) },
      };
    }
    const input = (name: string) => fill(String(build.with?.[name] ?? ''), context);
    return {
      matrix,
      context: input('context'),
      file: input('file'),
      buildArgs: input('build-args')
        .split('\n')
        .filter(Boolean)
        .map((line) => line.trim()),
      tags: input('tags')
        .split(/[,\n]/)
        .map((tag) => tag.trim())
        .filter(Boolean),
      platforms: input('platforms').split(','),
      push: input('push'),
      cacheFrom: input('cache-from'),
      cacheTo: input('cache-to'),
    };
  });
}

/** compose's build section as `docker buildx build` takes it: context, Dockerfile path, NAME=value args. */
function composeBuild(service: ComposeService) {
  const build = typeof service.build === 'string' ? { context: service.build } : service.build;
  const context = (build?.context ?? '.').replace(/^\.\/(?=.)/, '');
  const file = join(context, build?.dockerfile ?? 'Dockerfile');
  const args = (build as { args?: Readonly<Record<string, unknown>> } | undefined)?.args ?? {};
  return {
    context,
    file,
    buildArgs: Object.entries(args).map(([name, value]) => `${name}=${String(value)}`),
  };
}

describe(workflowPath, () => {
  test('when actionlint checks the workflow, then it finds nothing', () => {
    const result = spawnSync(requireTool('actionlint'), ['-no-color', '-oneline', workflowPath], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    assert.equal(`${result.stdout}${result.stderr}`, '');
    assert.equal(result.status, 0);
  });

  test('when CI installs actionlint, then it is the version this test names', () => {
    assert.equal(goInstallCommand('actionlint'), `go install ${actionlintModule}`);
  });

  test('when anything is pushed or a pull request opened, then the workflow runs, on every branch and tag', () => {
    assert.deepEqual(Object.keys(workflow.on).sort(), ['pull_request', 'push']);
    for (const [name, filters] of Object.entries(workflow.on)) {
      assert.ok(
        filters === null || Object.keys(filters as object).length === 0,
        `${name} is filtered`,
      );
    }
  });

  test('when it runs, then the test job runs .ci/run on Ubuntu within 90 minutes, in Debian with the images’ Node, for every event', () => {
    const {
      'runs-on': runsOn,
      'timeout-minutes': timeout,
      container,
      steps,
      ...rest
    } = job('test');
    assert.match(runsOn, /^ubuntu-/);
    assert.equal(timeout, 90);
    assert.equal(rest.if, undefined);
    assert.deepEqual(
      steps.filter((step) => step.run !== undefined).map((step) => step.run?.trim()),
      ['bash .ci/run'],
    );
    const node = /^node:(\d+\.\d+\.\d+)-bookworm$/.exec(container?.image ?? '')?.[1];
    assert.ok(node, `${container?.image} is not a pinned Debian Node image`);
    const dockerfile = readFileSync(join(repoRoot, 'docker/node-service.Dockerfile'), 'utf8');
    assert.equal(
      /^FROM node:(\d+\.\d+\.\d+)-/m.exec(dockerfile)?.[1],
      node,
      'not the images’ Node',
    );
  });

  test('when a pull request or a branch other than main is pushed, then nothing is published; on main and on tags v*, after the tests pass, everything is', () => {
    const publishers = publishingJobs();
    assert.deepEqual(
      publishers.map(([name]) => name),
      ['publish'],
    );
    const publish = job('publish');
    assert.deepEqual([publish.needs].flat(), ['test']);
    const runs = (on: Event) => condition(publish.if, { github: on.github });
    for (const on of [
      pullRequest(7),
      push('refs/heads/feature'),
      push('refs/heads/main-old'),
      push('refs/heads/v2'),
      push('refs/tags/nightly'),
    ]) {
      assert.equal(runs(on), false, `${on.github.event_name} ${on.github.ref} publishes`);
    }
    for (const on of [push('refs/heads/main'), push('refs/tags/v1.2.0')]) {
      assert.equal(runs(on), true, `${on.github.event_name} ${on.github.ref} does not publish`);
    }
    for (const step of publish.steps) {
      assert.equal(
        step.if,
        undefined,
        `${step.name ?? step.uses ?? step.run} is skipped sometimes`,
      );
    }
  });

  test('when compose is pointed at the published images, then each one it needs is pushed, built as compose builds it', async () => {
    const services = (await loadCompose()).services;
    const built = Object.entries(services).filter(([, s]) => s.build !== undefined);
    for (const [on, version] of [
      [push('refs/heads/main'), sha],
      [push('refs/tags/v1.2.0'), '1.2.0'],
    ] as const) {
      const images = published(on);
      // Compose's image names are <registry>/<service>: one matrix entry each, built alike.
      assert.deepEqual(
        images.map(({ matrix }) => matrix.image).sort(),
        built.map(([name]) => name).sort(),
      );
      for (const [name, service] of built) {
        const image = images.find(({ matrix }) => matrix.image === name);
        const { context, file, buildArgs } = composeBuild(service);
        assert.deepEqual(
          { context: image?.context, file: image?.file, buildArgs: image?.buildArgs },
          { context, file, buildArgs },
          `${name} is built unlike compose builds it`,
        );
      }
      // The header's recipe: FILEGRAPH_REGISTRY=ghcr.io/<owner>/filegraph FILEGRAPH_VERSION=<sha or version>.
      const pulled = await loadCompose({
        FILEGRAPH_REGISTRY: 'ghcr.io/acme-org/filegraph',
        FILEGRAPH_VERSION: version,
      });
      const needed = Object.values(pulled.services)
        .map((s) => s.image ?? '')
        .filter((image) => image.startsWith('ghcr.io/'));
      const pushed = new Set(images.flatMap(({ tags }) => tags));
      for (const image of needed) assert.ok(pushed.has(image), `${image} is not pushed`);
      assert.ok(needed.length >= built.length, 'compose does not use the registry');
      if (on.github.ref_type === 'branch') {
        assert.ok(
          images.every(({ tags }) => tags.length === 1),
          'a commit on main is tagged with more than its sha',
        );
      }
    }
  });

  test('when images are built, then for amd64 and arm64, with QEMU and Buildx, pushed, and cached per image in GitHub’s cache', () => {
    const publish = job('publish');
    const order = (action: string) =>
      publish.steps.findIndex((step) => step.uses?.startsWith(`${action}@`));
    const build = order('docker/build-push-action');
    for (const action of [
      'docker/setup-qemu-action',
      'docker/setup-buildx-action',
      'docker/login-action',
    ]) {
      assert.ok(
        order(action) >= 0 && order(action) < build,
        `${action} does not come before the build`,
      );
    }
    assert.equal(stepUsing(publish, 'docker/login-action').with?.registry, 'ghcr.io');
    const images = published(push('refs/heads/main'));
    for (const image of images) {
      assert.deepEqual(image.platforms.sort(), ['linux/amd64', 'linux/arm64']);
      assert.equal(image.push, 'true');
      assert.match(image.cacheFrom, /^type=gha,/);
      assert.match(image.cacheTo, /^type=gha,/);
      assert.match(image.cacheTo, /\bmode=max\b/);
    }
    const scopes = images.map(({ cacheTo }) => /\bscope=([^,]+)/.exec(cacheTo)?.[1]);
    assert.equal(new Set(scopes).size, images.length, 'images share a cache scope');
    assert.deepEqual(
      images.map(({ cacheFrom }) => /\bscope=([^,]+)/.exec(cacheFrom)?.[1]),
      scopes,
    );
  });

  test('when a job holds a token, then it may read the code and nothing more, except that the publish job may write packages', () => {
    assert.deepEqual(workflow.permissions, { contents: 'read' });
    for (const [name, j] of Object.entries(workflow.jobs)) {
      const expected =
        name === 'publish' ? { contents: 'read', packages: 'write' } : { contents: 'read' };
      assert.deepEqual(j.permissions ?? workflow.permissions, expected, `${name}'s permissions`);
    }
  });

  test('when an action is used, then it is pinned to a full commit sha, its release named beside it', () => {
    const used = Object.values(workflow.jobs).flatMap((j) =>
      j.steps.flatMap((step) => (step.uses === undefined ? [] : [step.uses])),
    );
    assert.ok(used.length > 0);
    for (const uses of used) {
      assert.match(uses, /^[\w-]+\/[\w.-]+@[0-9a-f]{40}$/, `${uses} is not pinned to a commit`);
      const line = text.split('\n').find((l) => l.includes(`uses: ${uses}`)) ?? '';
      assert.match(line, /\s#\s*v\d+\.\d+\.\d+\s*$/, `${uses} names no release`);
    }
    for (const action of [
      'docker/setup-qemu-action',
      'docker/setup-buildx-action',
      'docker/build-push-action',
    ]) {
      assert.ok(
        used.some((uses) => uses.startsWith(`${action}@`)),
        `${action} is not used`,
      );
    }
  });

  test('when a newer commit is pushed, then it cancels the run in progress for its branch or pull request, but not a publishing run on main', () => {
    const { group = '', 'cancel-in-progress': cancel } = workflow.concurrency ?? {};
    const groupOf = (on: Event) => fill(group, { github: on.github });
    assert.equal(groupOf(push('refs/heads/feature')), groupOf(push('refs/heads/feature')));
    const distinct = [
      push('refs/heads/feature'),
      push('refs/heads/main'),
      push('refs/tags/v1.2.0'),
      pullRequest(7),
      pullRequest(8),
    ].map(groupOf);
    assert.equal(new Set(distinct).size, distinct.length, 'unrelated runs share a group');
    const cancels = (on: Event) => condition(cancel, { github: on.github });
    assert.equal(cancels(pullRequest(7)), true);
    assert.equal(cancels(push('refs/heads/feature')), true);
    assert.equal(cancels(push('refs/heads/main')), false);
  });
});
