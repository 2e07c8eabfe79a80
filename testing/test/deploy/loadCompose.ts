import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The repository's root folder, where compose.yaml and the Dockerfiles' build context are. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface ComposeHealthcheck {
  readonly test?: string | readonly string[];
  readonly disable?: boolean;
  readonly [key: string]: unknown;
}

export interface ComposeDependency {
  readonly condition?: string;
  readonly restart?: boolean;
}

export interface ComposeService {
  readonly image?: string;
  readonly build?: string | { readonly context?: string; readonly dockerfile?: string };
  readonly environment?:
    Readonly<Record<string, string | number | boolean | null>> | readonly string[];
  readonly ports?: ReadonlyArray<string | number | Readonly<Record<string, unknown>>>;
  readonly healthcheck?: ComposeHealthcheck;
  readonly depends_on?: readonly string[] | Readonly<Record<string, ComposeDependency>>;
  readonly profiles?: readonly string[];
  readonly deploy?: { readonly replicas?: number; readonly [key: string]: unknown };
  readonly volumes?: ReadonlyArray<
    string | { readonly source?: string; readonly target?: string; readonly [key: string]: unknown }
  >;
  readonly configs?: ReadonlyArray<string | { readonly source: string; readonly target?: string }>;
  readonly restart?: string;
  readonly entrypoint?: string | readonly string[];
  readonly [key: string]: unknown;
}

export interface ComposeFile {
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly volumes?: Readonly<Record<string, unknown>>;
  readonly configs?: Readonly<Record<string, { readonly file?: string }>>;
  readonly [key: string]: unknown;
}

/**
 * Parses compose.yaml and interpolates `${VAR:-default}` and friends the way
 * Compose does, from `env` (by default none: every variable takes its default).
 * https://github.com/compose-spec/compose-spec/blob/main/12-interpolation.md
 */
export async function loadCompose(
  env: Readonly<Record<string, string>> = {},
): Promise<ComposeFile> {
  const text = await readFile(join(repoRoot, 'compose.yaml'), 'utf8');
  const parsed: unknown = parse(text);
  if (typeof parsed !== 'object' || parsed === null || !('services' in parsed)) {
    throw new Error('compose.yaml has no services');
  }
  return interpolateTree(parsed, env) as ComposeFile;
}

/** A service's environment as name → value, whichever of the two forms the file uses. */
export function environmentOf(service: ComposeService): Map<string, string> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    return new Map(
      environment.map((entry: string) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return new Map(
    Object.entries(environment).map(([name, value]) => [name, value === null ? '' : String(value)]),
  );
}

function interpolateTree(value: unknown, env: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolateTree(item, env));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolateTree(item, env)]),
    );
  }
  return value;
}

export function interpolate(text: string, env: Readonly<Record<string, string>>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, braced?: string, operator?: string, operand?: string, bare?: string) => {
      if (match === '$$') return '$';
      const name = braced ?? bare ?? '';
      const value = env[name];
      const unset = value === undefined || (operator?.startsWith(':') === true && value === '');
      if (!unset) return value;
      if (operator?.endsWith('-')) return operand ?? '';
      if (operator?.endsWith('?')) throw new Error(`${name} is required: ${operand ?? ''}`);
      return '';
    },
  );
}

/**
 * Checks that HAProxy is given exactly the variables haproxy.cfg reads: none
 * it does not, and each it needs (those behind `.if defined(…)` are optional).
 */
export function assertHaproxyVariables(config: string, given: readonly string[]): void {
  const read = new Set([...config.matchAll(/\$\{(\w+)\}/g)].map((match) => match[1]));
  const optional = new Set([...config.matchAll(/^\.if defined\((\w+)\)/gm)].map((m) => m[1]));
  assert.deepEqual(
    given.filter((name) => !read.has(name)),
    [],
    'variables haproxy.cfg does not read',
  );
  assert.deepEqual(
    [...read].filter((name) => !optional.has(name) && !given.includes(name ?? '')),
    [],
    'variables haproxy.cfg needs',
  );
}
