/**
 * `npm run catalogue -- check|repair [--json]`: compares the files'
 * catalogue with the bytes in storage, with the files service's own
 * settings (STORAGE, DATA_DIR, MINIO_*, CATALOGUE, DATABASE_URL), and
 * reports — or, with repair, fixes — what differs: files whose bytes are
 * lost (forgotten), bytes no file uses (deleted), objects another tool put
 * in the store (adopted as files named after their keys).
 *
 * Exit codes: 0 when the two agree (or were repaired), 1 when check found
 * differences, 2 when it could not run (a wrong setting, storage or
 * PostgreSQL out of reach).
 */
import { randomBytes } from 'node:crypto';
import { configOrExit } from '@filegraph/shared/config';
import { createLogger } from '@filegraph/shared/logger';
import { createCatalogue } from '@filegraph/files/catalogue';
import { loadFilesConfig } from '@filegraph/files/config';
import { compare, repair, type Differences } from '@filegraph/files/reconcile';
import { createStorage } from '@filegraph/files/storage';

const [command, ...flags] = process.argv.slice(2);
if (command !== 'check' && command !== 'repair') {
  process.stderr.write('usage: npm run catalogue -- check|repair [--json]\n');
  process.exit(2);
}
const json = flags.includes('--json');
// It answers no request, so it checks no identity: the files service's own secret is not needed.
const config = configOrExit(() =>
  loadFilesConfig({ IDENTITY_SECRET: randomBytes(32).toString('base64url') }),
);
const logger = createLogger({ level: 'warn', format: 'pretty' });

function describe(differences: Differences): string {
  const lines = [
    `${differences.missing.length} file(s) whose bytes are missing from storage`,
    ...differences.missing.slice(0, 20).map((file) => `  ${file.name} (${file.id}, ${file.key})`),
    `${differences.orphans.length} object(s) no file uses`,
    ...differences.orphans.slice(0, 20).map((object) => `  ${object.key} (${object.size} bytes)`),
    `${differences.foreign.length} object(s) put in storage by something else`,
    ...differences.foreign.slice(0, 20).map((object) => `  ${object.key} (${object.size} bytes)`),
  ];
  return `${lines.join('\n')}\n`;
}

try {
  const storage = await createStorage(config, logger);
  const catalogue = await createCatalogue(config, logger);
  await storage.open();
  await catalogue.open();
  try {
    const differences = await compare(catalogue, storage);
    const count =
      differences.missing.length + differences.orphans.length + differences.foreign.length;
    if (command === 'check') {
      process.stdout.write(json ? `${JSON.stringify(differences)}\n` : describe(differences));
      if (!json) process.stdout.write(count === 0 ? 'catalogue and storage agree\n' : '');
      process.exitCode = count === 0 ? 0 : 1;
    } else {
      const repaired = await repair(catalogue, storage, differences);
      process.stdout.write(
        json
          ? `${JSON.stringify(repaired)}\n`
          : `forgot ${repaired.forgotten} file(s), deleted ${repaired.deleted} object(s), adopted ${repaired.adopted} object(s)\n` +
              repaired.skipped.map(({ key, why }) => `  not adopted: ${key} (${why})\n`).join(''),
      );
    }
  } finally {
    await catalogue.close();
    await storage.close();
  }
} catch (error) {
  process.stderr.write(`catalogue ${command} failed: ${(error as Error).message}\n`);
  process.exitCode = 2;
}
