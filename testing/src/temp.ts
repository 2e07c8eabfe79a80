import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh folder under the system's temp folder; `remove` deletes it and all inside. */
export async function tempDir(label: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `filegraph-${label}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
