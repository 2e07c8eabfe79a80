import { AppError } from '@filegraph/shared/errors';

/**
 * File names are full paths with "/" between folders, the way S3 keys are.
 * They are normalised to Unicode NFC (macOS sends decomposed names; without
 * this "é" could be two different files), leading and repeated slashes are
 * dropped, and anything that could escape storage, confuse a file system or
 * make a name look like another is refused with a message that says what is
 * allowed.
 */

/** S3 keys are at most 1024 bytes of UTF-8. */
export const maxNameBytes = 1024;
/** Most file systems allow 255 bytes per path part. */
export const maxPartBytes = 255;

const controlCharacter = /[\u0000-\u001f\u007f-\u009f]/u;

/**
 * Characters that are invisible or rearrange what is shown around them, so
 * that "invoice\u202Efdp.exe" displays as "invoiceexe.pdf" (UTS #39 §3.1
 * restricts them in identifiers): format characters (Cf), Unicode's
 * default-ignorable ones (soft hyphen, U+034F, Hangul fillers …) and the
 * line and paragraph separators. Variation selectors are default-ignorable
 * too but only choose a glyph (emoji or text style, CJK variants), so they
 * stay allowed; ZWJ, ZWNJ and tags are allowed only where `joinerAllowed`
 * and `tagSequenceLength` say.
 */
const hidden = /[[\p{Cf}\p{Default_Ignorable_Code_Point}\u2028\u2029]--\p{Variation_Selector}]/v;
const bidiControl = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const zwnj = '\u200c';
const zwj = '\u200d';
const blackFlag = '\u{1f3f4}';
const tagCharacter = /[\u{e0020}-\u{e007e}]/u;
const cancelTag = '\u{e007f}';
const pictographic = /\p{Extended_Pictographic}/u;
/** What may come between an emoji and a ZWJ: emoji style (VS16) or a skin tone. */
const emojiSuffix = /[\ufe0f\p{Emoji_Modifier}]/u;
/** Letters of scripts whose letters join (Unicode's ArabicShaping.txt), where ZWNJ breaks a join. */
const joiningLetter =
  /[\p{L}&&[\p{scx=Arab}\p{scx=Syrc}\p{scx=Nkoo}\p{scx=Mong}\p{scx=Mand}\p{scx=Mani}\p{scx=Phlp}\p{scx=Adlm}\p{scx=Rohg}\p{scx=Sogd}\p{scx=Ougr}\p{scx=Chrs}\p{scx=Phag}]]/v;
const mark = /\p{M}/u;

/**
 * A virama (canonical combining class 9, as RFC 5892 Appendix A.1 and A.2
 * ask): JavaScript has no property for the class, but canonical ordering
 * puts a mark after U+3099 (class 8) only if its class is above 8, and
 * before U+05B0 (class 10) only if it is below 10.
 */
function isVirama(char: string): boolean {
  return (
    char !== '' &&
    `${char}\u3099`.normalize('NFD').startsWith('\u3099') &&
    `\u05b0${char}`.normalize('NFD').endsWith('\u05b0')
  );
}

/** The nearest character before or after `index` that is not a combining mark. */
function letterBeside(chars: readonly string[], index: number, step: 1 | -1): string {
  let at = index + step;
  while (mark.test(chars[at] ?? '')) at += step;
  return chars[at] ?? '';
}

/**
 * ZWJ and ZWNJ are needed, and allowed, after a virama (Indic conjuncts,
 * half forms, chillus: RFC 5892 CONTEXTJ, UTS #39 §3.1.1); ZWNJ between two
 * letters of a joining script (Persian "می‌خواهم"); ZWJ between two emoji of
 * an emoji ZWJ sequence (UTS #51: "👨‍👩‍👧", "❤️‍🔥", "🏳️‍🌈"). Anywhere
 * else they only make a name differ from one that looks the same.
 */
function joinerAllowed(chars: readonly string[], index: number): boolean {
  const before = chars[index - 1] ?? '';
  if (isVirama(before)) return true;
  if (chars[index] === zwnj) {
    return (
      joiningLetter.test(letterBeside(chars, index, -1)) &&
      joiningLetter.test(letterBeside(chars, index, 1))
    );
  }
  const emoji = emojiSuffix.test(before) ? (chars[index - 2] ?? '') : before;
  return pictographic.test(emoji) && pictographic.test(chars[index + 1] ?? '');
}

/**
 * How many tag characters follow a black flag at `index` as an emoji tag
 * sequence (UTS #51: "🏴󠁧󠁢󠁳󠁣󠁴󠁿" is U+1F3F4, "gbsct" in tags, U+E007F);
 * 0 when they don't form one.
 */
function tagSequenceLength(chars: readonly string[], index: number): number {
  let at = index + 1;
  while (tagCharacter.test(chars[at] ?? '')) at += 1;
  return at > index + 1 && chars[at] === cancelTag ? at - index : 0;
}

/** Why a hidden character is refused, in words for the message. */
function whyRefused(char: string): string {
  if (bidiControl.test(char))
    return 'a bidirectional control, which can make a name display in another order than it is written; names may not contain bidirectional controls';
  if (char === '\u2028' || char === '\u2029')
    return 'a line or paragraph separator; a name is one line';
  if (char === zwj)
    return 'a zero width joiner, which is allowed only between the emoji of an emoji sequence or after a virama';
  if (char === zwnj)
    return 'a zero width non-joiner, which is allowed only between letters of a joining script such as Arabic or Persian, or after a virama';
  if (tagCharacter.test(char) || char === cancelTag)
    return 'a tag character, which is allowed only in an emoji flag (U+1F3F4, tags, U+E007F)';
  return 'an invisible character, which can make a name differ from one that looks the same; names may not contain invisible characters';
}

/** The positions in `chars` of hidden characters that no rule above allows. */
function refusedPositions(chars: readonly string[]): number[] {
  const refused: number[] = [];
  for (let index = 0; index < chars.length; index += 1) {
    const char = chars[index] as string;
    if (char === blackFlag) {
      index += tagSequenceLength(chars, index);
      continue;
    }
    const allowed = (char === zwj || char === zwnj) && joinerAllowed(chars, index);
    if (hidden.test(char) && !allowed) refused.push(index);
  }
  return refused;
}

function invalid(message: string): AppError {
  return new AppError('BAD_USER_INPUT', message);
}

/**
 * A name quoted for a message, cut at 80 characters. JSON escapes the C0
 * controls; DEL, the C1 controls and refused hidden characters are escaped
 * too, so the message can't be reordered by them or hide them.
 */
function describe(raw: string): string {
  const chars = [...raw];
  const refused = new Set(refusedPositions(chars));
  const shown = chars.map((char, index) =>
    refused.has(index) || /[\u007f-\u009f]/u.test(char)
      ? `\\u{${hex(char)}}`
      : JSON.stringify(char).slice(1, -1),
  );
  return `"${chars.length > 80 ? `${shown.slice(0, 77).join('')}…` : shown.join('')}"`;
}

function hex(char: string): string {
  return (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
}

function codePoint(char: string): string {
  return `U+${hex(char)}`;
}

/** Splits a path into checked parts; `kind` only shapes the messages. */
function checkedParts(raw: string, kind: 'file name' | 'folder'): string[] {
  if (!raw.isWellFormed()) throw invalid(`The ${kind} ${describe(raw)} is not valid Unicode.`);
  const control = controlCharacter.exec(raw);
  if (control) {
    throw invalid(
      `The ${kind} ${describe(raw)} contains the control character ${codePoint(control[0])}; names may not contain control characters.`,
    );
  }
  const chars = [...raw];
  const [first] = refusedPositions(chars);
  if (first !== undefined) {
    const char = chars[first] as string;
    throw invalid(`The ${kind} ${describe(raw)} contains ${codePoint(char)}, ${whyRefused(char)}.`);
  }
  const parts = raw
    .normalize('NFC')
    .split('/')
    .filter((part) => part !== '');
  for (const part of parts) {
    if (part === '.' || part === '..') {
      throw invalid(
        `The ${kind} ${describe(raw)} contains "${part}"; "." and ".." may not be used as a folder or file name.`,
      );
    }
    if (part.trim() === '') {
      throw invalid(`The ${kind} ${describe(raw)} has a part made only of spaces.`);
    }
    const bytes = Buffer.byteLength(part);
    if (bytes > maxPartBytes) {
      throw invalid(
        `The ${kind} ${describe(raw)} has a part of ${bytes} bytes; each folder or file name may be at most ${maxPartBytes} bytes (UTF-8).`,
      );
    }
  }
  return parts;
}

function checkLength(name: string, raw: string, kind: string): void {
  const bytes = Buffer.byteLength(name);
  if (bytes > maxNameBytes) {
    throw invalid(
      `The ${kind} ${describe(raw)} is ${bytes} bytes long; a full name may be at most ${maxNameBytes} bytes (UTF-8).`,
    );
  }
}

/** Normalises a full file name, e.g. "/photos//a.jpg" → "photos/a.jpg". */
export function fileName(raw: string): string {
  if (raw.trim() === '') throw invalid('The file name is empty.');
  if (raw.endsWith('/')) {
    throw invalid(
      `The file name ${describe(raw)} ends with "/", which names a folder, not a file.`,
    );
  }
  const name = checkedParts(raw, 'file name').join('/');
  if (name === '') throw invalid(`The file name ${describe(raw)} has no name after its folders.`);
  checkLength(name, raw, 'file name');
  return name;
}

/** Normalises a folder path to '' (the top) or "a/b/" (ending in a slash). */
export function folderPrefix(raw: string | null | undefined): string {
  if (raw === null || raw === undefined) return '';
  const parts = checkedParts(raw, 'folder');
  const prefix = parts.length === 0 ? '' : `${parts.join('/')}/`;
  checkLength(prefix, raw, 'folder');
  return prefix;
}

/**
 * An uploaded file's name inside the upload's folder. The name arrives as a
 * base name (busboy keeps only what follows its last "/" or "\\"), so
 * folders come from `prefix`, as the README says.
 */
export function nameInFolder(prefix: string, raw: string): string {
  return fileName(`${prefix}${raw}`);
}

/** Every folder a name lives in, outermost first: "a/b/c" → ["a", "a/b"]. */
export function parentFolders(name: string): string[] {
  const parts = name.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** The form names are compared in when searching: NFC, lower case. */
export function searchFold(text: string): string {
  return text.normalize('NFC').toLowerCase();
}
