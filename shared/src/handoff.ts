/**
 * Download hand-off between the gateway and the files subgraph.
 *
 * A download through the whole stack would carry every byte over three hops
 * (MinIO → files replica → HAProxy → gateway). When the gateway offers to
 * fetch the bytes itself, the files replica does everything but the copying:
 * it checks the file, decides status, headers and range, and answers with a
 * small JSON hand-off naming a short-lived presigned URL of the object. The
 * gateway then streams straight from MinIO, conditional on the object
 * version the replica saw, so a file replaced in between is never sent under
 * the old file's headers.
 */

/** Request header by which the gateway offers to fetch the bytes itself. */
export const handoffOfferHeader = 'x-filegraph-handoff';

/** Content type of a hand-off answer; any other answer is the download itself. */
export const handoffType = 'application/vnd.filegraph.handoff+json';

export interface Handoff {
  /** The status the client gets: 200, or 206 for a range. */
  readonly status: number;
  /** The headers the client gets (Content-Length, ETag, Content-Disposition, …). */
  readonly headers: Record<string, string>;
  /** A presigned GET of the object, valid for a minute. */
  readonly url: string;
  /** Headers for that GET: the object's version (If-Match) and the Range, if any. */
  readonly fetchHeaders: Record<string, string>;
}
