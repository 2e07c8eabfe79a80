/**
 * The configuration table of docs/configuration.md, made from the services'
 * settings schemas (the one place settings are defined).
 * `node scripts/configTable.ts` prints it; a test checks that the page holds
 * exactly this table.
 */
import { describeSchema, type Schema } from '@filegraph/shared/config';
import { accountsSettings } from '@filegraph/accounts/config';
import { filesSettings } from '@filegraph/files/config';
import { healthSettings } from '@filegraph/health/config';
import { gatewaySettings } from '@filegraph/supergraph/config';
import { stackSettings } from './stack/config.ts';

const services: ReadonlyArray<[string, Schema]> = [
  ['gateway', gatewaySettings],
  ['files', filesSettings],
  ['health', healthSettings],
  ['accounts', accountsSettings],
  ['npm run stack', stackSettings],
];

export function configTable(): string {
  const rows = new Map<string, { docs: Map<string, string[]>; defaults: Map<string, string[]> }>();
  for (const [service, schema] of services) {
    for (const { env, fallback, doc } of describeSchema(schema)) {
      const row = rows.get(env) ?? {
        docs: new Map<string, string[]>(),
        defaults: new Map<string, string[]>(),
      };
      row.docs.set(doc, [...(row.docs.get(doc) ?? []), service]);
      // The UI's folder default is an absolute path on this machine: show where it points.
      const shown = env === 'FRONTEND_DIR' ? 'frontend/dist' : fallback;
      row.defaults.set(shown, [...(row.defaults.get(shown) ?? []), service]);
      rows.set(env, row);
    }
  }
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const lines = ['| Variable | Default | Read by | What it does |', '| --- | --- | --- | --- |'];
  for (const [env, row] of rows) {
    const services = [...row.defaults.values()].flat();
    const defaults = [...row.defaults].filter(([value]) => value !== '');
    const fallback =
      row.defaults.size === 1
        ? defaults.map(([value]) => `\`${cell(value)}\``).join('')
        : defaults.map(([value, by]) => `\`${cell(value)}\` (${by.join(', ')})`).join(', ');
    // Where services describe a variable differently, each description says whose it is.
    const doc =
      row.docs.size === 1
        ? [...row.docs.keys()].join('')
        : [...row.docs].map(([text, by]) => `${by.join(', ')}: ${text}`).join(' — ');
    lines.push(`| \`${env}\` | ${fallback} | ${services.join(', ')} | ${cell(doc)} |`);
  }
  return lines.join('\n');
}

if (import.meta.main) process.stdout.write(`${configTable()}\n`);
