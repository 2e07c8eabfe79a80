import { readFile, writeFile } from 'node:fs/promises';

/** Resident memory now (VmRSS), in bytes. */
export async function rss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/**
 * Sets the peak (VmHWM) back to the current RSS, so that the peak read after
 * an upload is that upload's, not an earlier scenario's (proc(5), clear_refs).
 */
export async function resetPeak(pid: number): Promise<void> {
  await writeFile(`/proc/${pid}/clear_refs`, '5');
}
