import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Fills in an ops template: `${NAME}` and `${NAME:-default}` become the
 * variable's value, as in compose.yaml. Prometheus expands variables in
 * external_labels only and Alertmanager nowhere, so the addresses that differ
 * between compose and the native stack are filled in before they start.
 * Names are upper case, so relabelling's `${1}` stays as it is.
 *
 *   node ops/render.ts <template> <output>
 */
export function render(
  template: string,
  env: Readonly<Record<string, string | undefined>>,
): string {
  const unset = new Set<string>();
  const text = template.replace(
    /\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}/g,
    (_match, name: string, fallback: string | undefined) => {
      const value = env[name] || fallback;
      if (value === undefined) unset.add(name);
      return value ?? '';
    },
  );
  if (unset.size > 0) throw new Error(`set ${[...unset].join(', ')}: the template has no default`);
  return text;
}

if (import.meta.main) {
  const [template, output] = process.argv.slice(2);
  if (!template || !output) {
    process.stderr.write('usage: node ops/render.ts <template> <output>\n');
    process.exit(2);
  }
  try {
    writeFileSync(output, render(readFileSync(template, 'utf8'), process.env));
  } catch (error) {
    process.stderr.write(`render: ${template}: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
