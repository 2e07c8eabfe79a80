import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * Debian's Python, where python3-openpyxl installs (scripts/tools/ensure.sh);
 * a python3 first on PATH (pyenv, a venv) may not have it.
 */
const python = '/usr/bin/python3';
const script = new URL('./readReport.py', import.meta.url).pathname;

/** A report file as openpyxl (XLSX) or Python's csv module reads it: independent readers. */
export async function readReport<T>(
  kind: 'xlsx' | 'csv',
  path: string,
  summary = false,
): Promise<T> {
  const { stdout } = await promisify(execFile)(
    python,
    [script, kind, path, ...(summary ? ['--summary'] : [])],
    { maxBuffer: 256 * 2 ** 20 },
  );
  return JSON.parse(stdout) as T;
}
