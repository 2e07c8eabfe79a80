import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The programs the tests and `npm run stack` drive for real, found where
 * scripts/tools/ensure.sh (which `npm test` runs first) looks for them and
 * puts them. A missing one throws at once, naming the program and the command
 * that installs it, so nothing waits for a program that is not there.
 */
export type Tool =
  | 'haproxy'
  | 'chromium'
  | 'initdb'
  | 'postgres'
  | 'openssl'
  | 'minio'
  | 'mc'
  | 'versitygw'
  | 'actionlint'
  | 'helm'
  | 'prometheus'
  | 'promtool'
  | 'alertmanager'
  | 'mailpit'
  | 'victoria-logs';

type Env = Readonly<Record<string, string | undefined>>;

export const ensureScript = fileURLToPath(
  new URL('../../scripts/tools/ensure.sh', import.meta.url),
);

/** The variable that names a tool's file (PG_BIN: PostgreSQL's bin folder) instead of a search. */
const overrides: Record<Tool, string | undefined> = {
  haproxy: 'HAPROXY_BIN',
  chromium: 'CHROMIUM_BIN',
  initdb: 'PG_BIN',
  postgres: 'PG_BIN',
  openssl: undefined,
  minio: 'MINIO_BIN',
  mc: 'MC_BIN',
  versitygw: 'VERSITYGW_BIN',
  actionlint: 'ACTIONLINT_BIN',
  helm: 'HELM_BIN',
  prometheus: 'PROMETHEUS_BIN',
  promtool: 'PROMTOOL_BIN',
  alertmanager: 'ALERTMANAGER_BIN',
  mailpit: 'MAILPIT_BIN',
  'victoria-logs': 'VICTORIALOGS_BIN',
};

const debianPackages: Partial<Record<Tool, string>> = {
  haproxy: 'haproxy',
  chromium: 'chromium',
  initdb: 'postgresql',
  postgres: 'postgresql',
  openssl: 'openssl',
};

/** Debian's PostgreSQL is not on PATH: the newest /usr/lib/postgresql/<major>/bin. */
function postgresBinDirs(): string[] {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a))
    .map((major) => join(root, major, 'bin'));
}

/** Where each tool may be when no variable names it, in order. */
function searched(tool: Tool, env: Env): string[] {
  const path = (env.PATH ?? '').split(delimiter).filter(Boolean);
  const goBins = [
    env.GOPATH && join(env.GOPATH.split(delimiter)[0] ?? '', 'bin'),
    join(homedir(), 'go', 'bin'),
  ];
  switch (tool) {
    case 'haproxy':
      return [...path, '/usr/sbin'].map((dir) => join(dir, tool));
    case 'chromium':
      return ['/usr/bin/chromium'];
    case 'initdb':
    case 'postgres': {
      const dirs = postgresBinDirs();
      return (dirs.length ? dirs : ['/usr/lib/postgresql/<major>/bin']).map((dir) =>
        join(dir, tool),
      );
    }
    case 'openssl':
      return path.map((dir) => join(dir, tool));
    default:
      return goBins.filter((dir): dir is string => Boolean(dir)).map((dir) => join(dir, tool));
  }
}

/** The `go install` line ensure.sh runs for a tool, from its pinned table. */
export function goInstallCommand(tool: Tool): string | undefined {
  const script = readFileSync(ensureScript, 'utf8');
  const module = new RegExp(`^${tool}\\s+\\w+\\s+(\\S+@\\S+)$`, 'm').exec(script)?.[1];
  return module && `go install ${module}`;
}

/** The command that installs a tool by itself. */
export function installCommand(tool: Tool): string {
  const debian = debianPackages[tool];
  return debian ? `apt-get install ${debian}` : (goInstallCommand(tool) ?? ensureScript);
}

/** The tool's file, or an error that says how to install it. */
export function requireTool(tool: Tool, env: Env = process.env): string {
  const variable = overrides[tool];
  const named = variable && env[variable];
  const candidates = named
    ? [variable === 'PG_BIN' ? join(named, tool) : named]
    : searched(tool, env);
  const found = candidates.find((path) => existsSync(path));
  if (found) return found;
  const where = named ? `${variable}=${named}` : candidates.join(', ');
  throw new Error(
    `${tool} not found (looked at ${where}): install it with \`${installCommand(tool)}\`, ` +
      `or run scripts/tools/ensure.sh (\`npm test\` does), which installs every tool the tests drive` +
      (variable ? `, or set ${variable}.` : '.'),
  );
}
