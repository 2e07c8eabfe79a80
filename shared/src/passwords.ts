import { argon2, randomBytes, timingSafeEqual, type Argon2Parameters } from 'node:crypto';
import { availableParallelism } from 'node:os';

/**
 * Passwords (NIST SP 800-63B §3.1.1.2): 8 to 256 characters, counted as
 * Unicode code points after NFC normalization, no composition rules. Kept
 * as Argon2id hashes with OWASP's parameters (19 MiB, 2 passes, 1 lane) in
 * the PHC string format, which carries its parameters: raising them later
 * rehashes each password at its next sign-in (see needsRehash).
 * https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html
 */

export const passwordLength = { min: 8, max: 256 } as const;

export interface HashParameters {
  /** KiB */
  readonly memory: number;
  readonly passes: number;
  readonly parallelism: number;
}

export const hashParameters: HashParameters = { memory: 19_456, passes: 2, parallelism: 1 };

const saltBytes = 16;
const tagBytes = 32;

export function normalizePassword(password: string): string {
  return password.normalize('NFC');
}

/** What is wrong with a new password, or undefined when it will do. The password is never echoed. */
export function passwordProblem(password: string): string | undefined {
  const length = [...normalizePassword(password)].length;
  if (length < passwordLength.min || length > passwordLength.max)
    return `a password must be ${passwordLength.min} to ${passwordLength.max} characters long (this one has ${length}); any characters are allowed, spaces included`;
  return undefined;
}

/**
 * Each hash takes 19 MiB and a core for ~40 ms: at most one per core at a
 * time, so a burst of sign-ins queues instead of taking all memory.
 */
class Slots {
  #free: number;
  readonly #waiting: Array<() => void> = [];

  constructor(size: number) {
    this.#free = size;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free -= 1;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free += 1;
    }
  }
}

const slots = new Slots(Math.max(2, availableParallelism()));

function derive(password: string, salt: Buffer, parameters: HashParameters): Promise<Buffer> {
  const options: Argon2Parameters = {
    message: normalizePassword(password),
    nonce: salt,
    parallelism: parameters.parallelism,
    tagLength: tagBytes,
    memory: parameters.memory,
    passes: parameters.passes,
  };
  return slots.run(
    () =>
      new Promise<Buffer>((resolve, reject) =>
        argon2('argon2id', options, (error, tag) => (error ? reject(error) : resolve(tag))),
      ),
  );
}

/** PHC uses standard base64 without padding. */
const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');

/** `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<tag>` */
export async function hashPassword(
  password: string,
  parameters: HashParameters = hashParameters,
): Promise<string> {
  const salt = randomBytes(saltBytes);
  const tag = await derive(password, salt, parameters);
  const { memory, passes, parallelism } = parameters;
  return `$argon2id$v=19$m=${memory},t=${passes},p=${parallelism}$${b64(salt)}$${b64(tag)}`;
}

interface Parsed {
  readonly parameters: HashParameters;
  readonly salt: Buffer;
  readonly tag: Buffer;
}

function parse(encoded: string): Parsed | undefined {
  const match =
    /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(encoded);
  if (!match) return undefined;
  const [memory, passes, parallelism] = [match[1], match[2], match[3]].map(Number) as [
    number,
    number,
    number,
  ];
  // Bounds keep a damaged row from costing more than a sign-in should.
  if (memory < 8 || memory > 1 << 21 || passes < 1 || passes > 16) return undefined;
  if (parallelism < 1 || parallelism > 16) return undefined;
  return {
    parameters: { memory, passes, parallelism },
    salt: Buffer.from(match[4] as string, 'base64'),
    tag: Buffer.from(match[5] as string, 'base64'),
  };
}

/** Whether `password` is the one `encoded` was made from; compared in constant time. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parsed = parse(encoded);
  if (!parsed) return false;
  const tag = await derive(password, parsed.salt, parsed.parameters);
  return tag.length === parsed.tag.length && timingSafeEqual(tag, parsed.tag);
}

/** A hash made with other parameters than today's: rehash it while the password is at hand. */
export function needsRehash(encoded: string): boolean {
  const parameters = parse(encoded)?.parameters;
  return (
    parameters === undefined ||
    parameters.memory !== hashParameters.memory ||
    parameters.passes !== hashParameters.passes ||
    parameters.parallelism !== hashParameters.parallelism
  );
}

let dummy: Promise<string> | undefined;

/**
 * A hash of nothing anybody knows: a sign-in with an unknown email is
 * checked against it, so it costs what a wrong password costs.
 */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(32).toString('base64'));
  return dummy;
}
