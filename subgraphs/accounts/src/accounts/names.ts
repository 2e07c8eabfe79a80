/** People's names and API tokens' names: trimmed, NFC, printable, of a sane length. */

export const maxNameLength = 100;

/** A user's display name: null when blank. */
export function displayName(raw: string | null | undefined): string | null {
  const name = (raw ?? '').trim().normalize('NFC');
  return name === '' ? null : name;
}

/** What is wrong with a name, or undefined when it will do. */
export function nameProblem(name: string, what: string): string | undefined {
  if ([...name].length > maxNameLength)
    return `${what} has at most ${maxNameLength} characters (this one has ${[...name].length})`;
  if (/\p{C}/u.test(name)) return `${what} may not contain control characters`;
  return undefined;
}
