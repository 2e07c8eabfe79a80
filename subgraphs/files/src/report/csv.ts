/**
 * Text a spreadsheet would run as a formula when a CSV is opened in it
 * (CSV injection): = + - @, and tab or carriage return before them.
 * https://owasp.org/www-community/attacks/CSV_Injection
 */
const formulaStart = /^[=+\-@\t\r]/;

/**
 * One CSV field (RFC 4180): numbers as they are; text quoted when it holds a
 * comma, a quote or a line break (quotes doubled), and text a spreadsheet
 * would take for a formula prefixed with ' and quoted, so it shows as text.
 */
export function csvField(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const text = formulaStart.test(value) ? `'${value}` : value;
  return text !== value || /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record, CRLF-terminated as RFC 4180 says. */
export function csvRecord(values: ReadonlyArray<string | number>): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
