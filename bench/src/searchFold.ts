const mark = /\p{M}/u;

/**
 * The form the catalogue searches names in: case and accents ignored
 * ("Écolé" → "ecole"). The same steps as searchFold in
 * subgraphs/files/src/catalogue/paths.ts, which the files package does not
 * export; rows the bench writes straight into the catalogue need it, and the
 * catalogue scenario's accent-insensitive search proves the two agree.
 */
export function searchFold(text: string): string {
  let folded = '';
  for (const char of text.normalize('NFD')) {
    if (mark.test(char)) continue;
    for (const lower of char.toLowerCase().normalize('NFD')) if (!mark.test(lower)) folded += lower;
  }
  return folded;
}
