import { verdict, type Failure, type Row, type Target, type Unit } from './Row.ts';

/** Three significant digits at most, thousands separated. */
function number(value: number): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

function amount(value: number, unit: Unit): string {
  if (unit === 'ms' && value >= 1_000) return `${number(value / 1_000)} s`;
  return `${number(value)} ${unit}`;
}

function targetText(target: Target, unit: Unit): string {
  switch (target.kind) {
    case 'min-ratio':
      return `ratio ≥ ${target.value}`;
    case 'max':
      return `≤ ${amount(target.value, unit)}`;
    case 'max-added':
      return `≤ +${amount(target.value, unit)}`;
    case 'max-difference':
      return `± ${amount(target.value, unit)}`;
    case 'none':
      return '—';
  }
}

function resultText(row: Row): string {
  const { pass, compared } = verdict(row);
  if (pass === undefined || compared === undefined) return pass === undefined ? '' : '✗';
  const mark = pass ? '✓' : '✗';
  switch (row.target.kind) {
    case 'min-ratio':
      return `${mark} ${compared.toFixed(2)}`;
    case 'max-added':
    case 'max-difference':
      return `${mark} ${compared < 0 ? '−' : '+'}${amount(Math.abs(compared), row.unit)}`;
    default:
      return `${mark} ${amount(compared, row.unit)}`;
  }
}

/** The rows as a Markdown table (pastes into a report as it is), failures last. */
export function table(rows: readonly Row[], failures: readonly Failure[]): string {
  const header = ['', 'scenario', 'baseline', 'filegraph', 'ratio', 'target', 'result'];
  const lines = rows.map((row, index) => {
    const { ratio } = verdict(row);
    return [
      String(index + 1),
      row.note ? `${row.name} (${row.note})` : row.name,
      row.baseline === undefined ? '—' : amount(row.baseline, row.unit),
      amount(row.filegraph, row.unit),
      ratio === undefined ? '—' : ratio.toFixed(2),
      targetText(row.target, row.unit),
      resultText(row),
    ];
  });
  for (const failure of failures)
    lines.push([
      '',
      `${failure.scenario}: could not be measured`,
      '—',
      '—',
      '—',
      '—',
      `✗ ${(failure.error.split('\n')[0] ?? '').slice(0, 160)}`,
    ]);
  const all = [header, ...lines];
  const widths = header.map((_, column) =>
    Math.max(...all.map((line) => (line[column] ?? '').length)),
  );
  const format = (line: string[]) =>
    `| ${line.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [
    format(header),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...lines.map(format),
  ].join('\n');
}

/** What each row's baseline was, numbered like the table. */
export function legend(rows: readonly Row[]): string {
  return rows.map((row, index) => `${index + 1}. ${row.baselineIs}`).join('\n');
}
