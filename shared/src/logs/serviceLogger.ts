import {
  createLogger,
  type LogFields,
  type LogFormat,
  type LogLevel,
  type Logger,
} from '../logger.ts';
import { LogShipper } from './LogShipper.ts';

/** The log settings every service reads (serviceSettings). */
export interface LogSettings {
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
  readonly logsUrl: URL | undefined;
}

export interface ServiceLogger {
  readonly logger: Logger;
  /** Ships what is still buffered, for at most `timeoutMs`: the last thing before the process exits. */
  close(timeoutMs?: number): Promise<void>;
}

/**
 * A service process's logger: stdout as LOG_FORMAT says, and every line to
 * VictoriaLogs as well when LOGS_URL is set (see LogShipper).
 */
export function serviceLogger(settings: LogSettings, fields?: LogFields): ServiceLogger {
  const shipper =
    settings.logsUrl &&
    new LogShipper({
      url: settings.logsUrl,
      // Through the logger itself: stdout says it at once, VictoriaLogs once it answers.
      report: (message, details) => logger.warn(message, details),
    });
  const logger = createLogger({
    level: settings.logLevel,
    format: settings.logFormat,
    ...(fields ? { fields } : {}),
    ...(shipper ? { ship: (line: string) => shipper.write(line) } : {}),
  });
  return {
    logger,
    close: async (timeoutMs = 3_000) => shipper?.close(timeoutMs),
  };
}
