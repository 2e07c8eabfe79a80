import { join } from 'node:path';
import { requireTool } from './tools.ts';

/**
 * The monitoring programs of issue 17 (Prometheus, Alertmanager, Mailpit) as
 * `npm run stack -- --ops` and the tests run them: on 127.0.0.1 only, with
 * their data in a folder of the caller's, and the output line that says each
 * serves. A spec, not a process: the tests hand it to startProcess, the stack
 * to its supervisor (which restarts what dies).
 */
export interface OpsProgram {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Where it serves its web UI and HTTP API. */
  readonly url: string;
  /** A line of its output that says it serves. */
  readonly ready: (line: string) => boolean;
}

/**
 * Mailpit: an SMTP server that keeps every message and shows them on its web
 * UI and HTTP API (`GET /api/v1/messages`). Its database under `dataDir`
 * keeps the inbox across restarts.
 */
export function mailpit(options: {
  readonly smtpPort: number;
  readonly httpPort: number;
  readonly dataDir: string;
}): OpsProgram {
  return {
    name: 'mailpit',
    command: requireTool('mailpit'),
    args: [
      ...['--smtp', `127.0.0.1:${options.smtpPort}`],
      ...['--listen', `127.0.0.1:${options.httpPort}`],
      ...['--database', join(options.dataDir, 'mailpit.db')],
      '--disable-version-check',
    ],
    url: `http://127.0.0.1:${options.httpPort}`,
    ready: (line) => line.includes('accessible via'),
  };
}

/** Alertmanager on a rendered ops/alertmanager/alertmanager.yml. */
export function alertmanager(options: {
  readonly configFile: string;
  readonly port: number;
  readonly dataDir: string;
}): OpsProgram {
  return {
    name: 'alertmanager',
    command: requireTool('alertmanager'),
    args: [
      `--config.file=${options.configFile}`,
      `--storage.path=${options.dataDir}`,
      `--web.listen-address=127.0.0.1:${options.port}`,
      // One Alertmanager: no cluster port (it would listen on every interface).
      '--cluster.listen-address=',
    ],
    url: `http://127.0.0.1:${options.port}`,
    ready: (line) => line.includes('msg="Listening on"'),
  };
}

/** Prometheus on a rendered ops/prometheus/prometheus.yml (or a test's own). */
export function prometheus(options: {
  readonly configFile: string;
  readonly port: number;
  readonly dataDir: string;
}): OpsProgram {
  return {
    name: 'prometheus',
    command: requireTool('prometheus'),
    args: [
      `--config.file=${options.configFile}`,
      `--storage.tsdb.path=${options.dataDir}`,
      `--web.listen-address=127.0.0.1:${options.port}`,
    ],
    url: `http://127.0.0.1:${options.port}`,
    ready: (line) => line.includes('Server is ready to receive web requests'),
  };
}
