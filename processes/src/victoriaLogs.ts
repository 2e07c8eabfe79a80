import type { OpsProgram } from './ops.ts';
import { freePort } from './ports.ts';
import { startProcess, type ManagedProcess } from './processes.ts';
import { requireTool } from './tools.ts';

/**
 * VictoriaLogs (issue 17, central logs), built by scripts/tools/ensure.sh:
 * `go install github.com/VictoriaMetrics/VictoriaLogs/app/victoria-logs@v1.52.2`.
 * The services post their JSON lines to `url` (LOGS_URL, /insert/jsonline);
 * HAProxy sends its own to `syslog` (LOGS_SYSLOG), RFC 5424 over UDP, so a
 * VictoriaLogs that is down never holds HAProxy up.
 */
export interface VictoriaLogsProgram extends OpsProgram {
  /** host:port of the syslog UDP listener. */
  readonly syslog: string;
}

/** The program as the stack's supervisor and the tests run it: on 127.0.0.1 only, its data in `dataDir`. */
export function victoriaLogs(options: {
  readonly httpPort: number;
  readonly syslogPort: number;
  readonly dataDir: string;
}): VictoriaLogsProgram {
  const syslog = `127.0.0.1:${options.syslogPort}`;
  return {
    name: 'victoria-logs',
    command: requireTool('victoria-logs'),
    args: [
      `-storageDataPath=${options.dataDir}`,
      `-httpListenAddr=127.0.0.1:${options.httpPort}`,
      `-syslog.listenAddr.udp=${syslog}`,
      // One stream per HAProxy process, as the services' lines are one per process.
      '-syslog.streamFields.udp=["hostname","app_name","proc_id"]',
    ],
    url: `http://127.0.0.1:${options.httpPort}`,
    syslog,
    // Printed once HTTP listens, after the syslog listener has started.
    ready: (line) => line.includes('started server at'),
  };
}

export interface VictoriaLogsServer {
  /** Where to post lines and query them: LOGS_URL. */
  readonly url: string;
  /** HAProxy's log target: LOGS_SYSLOG. */
  readonly syslog: string;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

/** A real VictoriaLogs on free ports of 127.0.0.1, ready to take and serve lines. */
export async function startVictoriaLogs(dataDir: string): Promise<VictoriaLogsServer> {
  const [httpPort, syslogPort] = await Promise.all([freePort(), freePort()]);
  const program = victoriaLogs({ httpPort, syslogPort, dataDir });
  const server = await startProcess({ ...program, timeoutMs: 30_000 });
  return {
    url: program.url,
    syslog: program.syslog,
    process: server,
    stop: () => server.stop(),
  };
}
