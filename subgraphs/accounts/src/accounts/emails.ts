/**
 * Email addresses compare case-insensitively: they are kept trimmed,
 * NFC-normalized and lower-case, and checked for a plain shape only
 * (something@somewhere). Whether one reaches anybody is not ours to know.
 */

export const maxEmailLength = 254;

export function normalizeEmail(raw: string): string {
  return raw.trim().normalize('NFC').toLowerCase();
}

/** What is wrong with an address, or undefined when it will do. */
export function emailProblem(raw: string): string | undefined {
  const email = normalizeEmail(raw);
  if (email === '') return 'an email address is required';
  if ([...email].length > maxEmailLength)
    return `an email address has at most ${maxEmailLength} characters`;
  if (!/^[^\s@\p{C}]+@[^\s@\p{C}]+$/u.test(email))
    return 'an email address looks like name@example.com: one @, no spaces';
  return undefined;
}
