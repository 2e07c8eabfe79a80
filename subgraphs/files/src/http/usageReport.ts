import type { Request, RequestHandler } from 'express';
import { AppError } from '@filegraph/shared/errors';
import type { Caller } from '@filegraph/shared/identity';
import { requestIdOf } from '@filegraph/shared/http';
import type { Logger } from '@filegraph/shared/logger';
import type { FileRecord } from '../catalogue/Catalogue.ts';
import { OwnerDirectory } from '../report/OwnerDirectory.ts';
import { reportCaller, type UsageService } from '../report/UsageService.ts';
import { writeCsv, type CsvPart } from '../report/writeCsv.ts';

const formats = {
  'usage.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'usage.csv': 'text/csv; charset=utf-8; header=present',
} as const;
type ReportName = keyof typeof formats;
const parts: readonly CsvPart[] = ['files', 'totals'];

/** Which report the request asks for, or the 4xx that says what may be asked. */
function asked(req: Request): { name: ReportName; part: CsvPart | undefined } {
  const name = String(req.params.name);
  if (!(name in formats))
    throw new AppError(
      'NOT_FOUND',
      `There is no report ${JSON.stringify(name)}; there are usage.xlsx and usage.csv.`,
    );
  const part = req.query.part;
  if (name === 'usage.xlsx') {
    if (part !== undefined)
      throw new AppError(
        'BAD_USER_INPUT',
        'usage.xlsx has every part in its sheets: leave out part.',
      );
    return { name: name as ReportName, part: undefined };
  }
  if (part === undefined) return { name: name as ReportName, part: 'files' };
  if (typeof part !== 'string' || !parts.includes(part as CsvPart))
    throw new AppError(
      'BAD_USER_INPUT',
      `part must be files (one row per file, the default) or totals; got ${JSON.stringify(part)}.`,
    );
  return { name: name as ReportName, part: part as CsvPart };
}

/**
 * POST /reports/usage.xlsx, /reports/usage.csv?part=files|totals — the
 * inventory of every live file with its totals, for admins (issue 17). The
 * gateway (supergraph/src/http/usageReport.ts) turns the public GET into
 * this POST, whose JSON body names the owners ({ owners: [{ id, email,
 * name }] }), which only the accounts service knows. Rows stream from the
 * catalogue a page at a time; the first page is read before the answer
 * starts, so a catalogue that is down still gets a clean 503. The totals
 * the report counted become the chart's cached figures.
 */
export function usageReportHandler(
  usage: UsageService,
  callerOf: (req: Request) => Promise<Caller>,
  logger: Logger,
): RequestHandler {
  return async (req, res) => {
    reportCaller(await callerOf(req));
    const { name, part } = asked(req);
    const owners = OwnerDirectory.fromBody(req.body);
    const started = performance.now();
    const computedAt = new Date();
    const left = new AbortController();
    res.on('close', () => left.abort());
    const pages = usage.pages(left.signal);
    const first = await pages.next();
    async function* all(): AsyncGenerator<readonly FileRecord[]> {
      if (!first.done) yield first.value;
      yield* pages;
    }
    const day = computedAt.toISOString().slice(0, 10);
    const file =
      part === 'totals'
        ? `filegraph-usage-totals-${day}.csv`
        : `filegraph-${name.replace('usage', `usage-${day}`)}`;
    res.status(200).set({
      'Content-Type': formats[name],
      'Content-Disposition': `attachment; filename="${file}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    let tally;
    try {
      tally =
        name === 'usage.xlsx'
          ? // Loaded on the first XLSX only: ExcelJS alone is ~35 MiB of resident
            // memory that every replica would otherwise carry from its start.
            await (await import('../report/writeXlsx.ts')).writeXlsx(all(), owners, res)
          : await writeCsv(part ?? 'files', all(), owners, res);
    } catch (error) {
      // The answer has begun: all a client can be told now is that it broke off.
      logger.warn('usage report broke off', { err: error, requestId: requestIdOf(req) });
      res.destroy();
      return;
    }
    if (!tally) {
      logger.info('usage report abandoned by the client', { requestId: requestIdOf(req) });
      return;
    }
    logger.info('usage report sent', {
      report: name,
      part,
      files: tally.files,
      bytes: tally.bytes,
      ms: Math.round(performance.now() - started),
      requestId: requestIdOf(req),
    });
    await usage
      .record(tally, computedAt)
      .catch((error: unknown) =>
        logger.warn('usage summary not stored after a report', { err: error }),
      );
  };
}
