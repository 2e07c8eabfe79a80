import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '@filegraph/shared/errors';
import type { Caller } from '@filegraph/shared/identity';
import type { Catalogue, FileRecord, ShareRecord } from '../catalogue/Catalogue.ts';
import { isFileId } from '../catalogue/ids.ts';
import { noSuchFile } from '../catalogue/refusals.ts';
import { mayUse } from '../files/Access.ts';
import type { FileService } from '../files/FileService.ts';
import { hashPassword, passwordProblem, verifyPassword } from '@filegraph/shared/passwords';
import {
  retryAfterSeconds,
  throttlePolicy,
  throttleRetryAt,
  type ThrottlePolicy,
} from '@filegraph/shared/throttle';

/** A link lives a week unless asked otherwise, and a year at most. */
export const defaultExpiresInHours = 168;
export const maxExpiresInHours = 8760;

/** A new link: its secret token is in `url` once, here, and never again. */
export interface NewShareLink extends ShareRecord {
  readonly url: string;
}

/** What a ShareLink field resolves from: a link from the catalogue, or one just made. */
export type ShareLinkSource = ShareRecord | NewShareLink;

/** Tokens are kept as SHA-256: a copy of the catalogue opens no link. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const noSuchLink = () =>
  new AppError('NOT_FOUND', 'This link does not exist, was revoked or has expired.');

/** TOO_MANY_REQUESTS for a link that must wait; http/share.ts sends `retryAfter` as Retry-After. */
export class LinkWaiting extends AppError {
  /** Whole seconds until the link takes another password. */
  readonly retryAfter: number;

  constructor(retryAt: number, now: number, policy: ThrottlePolicy) {
    const seconds = retryAfterSeconds(retryAt, now);
    super(
      'TOO_MANY_REQUESTS',
      `Too many wrong passwords for this link: try again in ${seconds} s (after ${new Date(retryAt).toISOString()}). Each further wrong one doubles the wait, up to ${Math.round(policy.capMs / 60_000)} minutes.`,
    );
    this.retryAfter = seconds;
  }
}

/**
 * Share links (issue 16): a secret URL that opens one file to whoever has
 * it, optionally with a password, until it expires, is revoked, or the
 * file goes to the trash. Links are their maker's: a member lists and
 * revokes their own (and those of their own files); an admin any. A
 * link's wrong passwords make it wait as sign-in does
 * (@filegraph/shared/throttle), counted in the catalogue for every replica.
 */
export class ShareService {
  readonly #catalogue: Catalogue;
  readonly #files: FileService;
  readonly #now: () => Date;
  /** Sign-in's: 5 wrong passwords free, then 1 s doubling up to 15 minutes. */
  readonly #policy = throttlePolicy;

  /** `now`: the clock links expire and wait by (tests pass their own). */
  constructor(catalogue: Catalogue, files: FileService, now: () => Date = () => new Date()) {
    this.#catalogue = catalogue;
    this.#files = files;
    this.#now = now;
  }

  async create(
    caller: Caller,
    args: { fileId: string; expiresInHours?: number | null; password?: string | null },
  ): Promise<NewShareLink> {
    const hours = args.expiresInHours ?? defaultExpiresInHours;
    if (!Number.isInteger(hours) || hours < 1 || hours > maxExpiresInHours)
      throw new AppError(
        'BAD_USER_INPUT',
        `expiresInHours must be from 1 to ${maxExpiresInHours} (got ${hours}).`,
      );
    const password = args.password ?? undefined;
    const problem = password === undefined ? undefined : passwordProblem(password);
    if (problem) throw new AppError('BAD_USER_INPUT', `password: ${problem}.`);
    if (!(await this.#files.get(caller, args.fileId))) throw noSuchFile();
    const token = randomBytes(32).toString('base64url');
    const share = await this.#catalogue.shares.create({
      fileId: args.fileId,
      createdBy: caller.id,
      tokenHash: tokenHash(token),
      passwordHash: password === undefined ? undefined : await hashPassword(password),
      expiresAt: new Date(this.#now().getTime() + hours * 3_600_000),
    });
    return { ...share, url: `/s/${token}` };
  }

  /** The caller's links, or every link of one file they may use (NOT_FOUND otherwise). */
  async list(caller: Caller, fileId: string | null | undefined): Promise<ShareRecord[]> {
    if (fileId === null || fileId === undefined)
      return this.#catalogue.shares.list({ createdBy: caller.id });
    if (!(await this.#files.get(caller, fileId))) throw noSuchFile();
    return this.#catalogue.shares.list({ fileId });
  }

  /** False when there is no such link for this caller (someone else's included: no leak). */
  async revoke(caller: Caller, id: string): Promise<boolean> {
    const share = isFileId(id) ? await this.#catalogue.shares.get(id) : undefined;
    if (!share) return false;
    if (share.createdBy !== caller.id && caller.role !== 'ADMIN') {
      const file = await this.#catalogue.get(share.fileId);
      if (!file || !mayUse(caller, file)) return false;
    }
    return this.#catalogue.shares.revoke(id);
  }

  /**
   * The file a link opens, for whoever follows it: NOT_FOUND for a link
   * that is unknown, revoked, expired or whose file is gone; UNAUTHENTICATED
   * for a missing or wrong password; TOO_MANY_REQUESTS (LinkWaiting) while
   * wrong ones make the link wait, before any hash is checked. A password
   * is counted as wrong until it proves right (one Argon2id hash, as a
   * wrong one costs), so concurrent guesses cannot outrun the count.
   */
  async open(token: string, password: string | undefined): Promise<FileRecord> {
    const now = this.#now();
    const opened = await this.#catalogue.shares.open(tokenHash(token), now);
    if (!opened) throw noSuchLink();
    const { id, passwordHash, failures, lastFailureAt } = opened.share;
    if (passwordHash === undefined) return opened.file;
    // Waiting, as last read: refused without a write.
    const at = now.getTime();
    const retryAt = throttleRetryAt(failures, lastFailureAt?.getTime(), at, this.#policy);
    if (retryAt > at) throw new LinkWaiting(retryAt, at, this.#policy);
    if (password === undefined)
      throw new AppError(
        'UNAUTHENTICATED',
        'This link has a password: send it in the X-Share-Password header (or the form at the link).',
      );
    const attempt = await this.#catalogue.shares.attempt(id, now, this.#policy);
    if (!attempt.allowed) throw new LinkWaiting(attempt.retryAt, at, this.#policy);
    if (!(await verifyPassword(password, passwordHash)))
      throw new AppError('UNAUTHENTICATED', "That is not this link's password.");
    await this.#catalogue.shares.forgive(id);
    return opened.file;
  }
}
