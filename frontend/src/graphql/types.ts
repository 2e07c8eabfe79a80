/** The shapes the UI reads from the API (the files, health and accounts subgraphs' schema.graphql). */

export interface FileNode {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly contentType: string;
  readonly checksum: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly url: string;
  /** ISO-8601 time it went to the trash; null while it is not in the trash. */
  readonly deletedAt: string | null;
}

/** One page of a list, with the cursor to the next (a Relay cursor connection). */
export interface Connection<T> {
  readonly nodes: T[];
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
  readonly totalCount: number | null;
}

export type FileConnection = Connection<FileNode>;

export interface Folder {
  readonly path: string;
  readonly name: string;
}

export type FileOrderField = 'NAME' | 'SIZE' | 'UPDATED_AT';
export type OrderDirection = 'ASC' | 'DESC';

export interface FileOrder {
  readonly field: FileOrderField;
  readonly direction: OrderDirection;
}

export interface UploadLimits {
  readonly maxFileSize: number;
  readonly maxFiles: number;
}

export type HealthStatus = 'OK' | 'DEGRADED' | 'DOWN';

export interface Check {
  readonly name: string;
  readonly status: HealthStatus;
  readonly latencyMs: number | null;
  readonly error: string | null;
  readonly url: string | null;
}

export interface ServiceHealth {
  readonly name: string;
  readonly status: HealthStatus;
  readonly instances: Check[];
}

export interface Health {
  readonly status: HealthStatus;
  readonly version: string;
  readonly uptimeSeconds: number;
  readonly checkedAt: string;
  /** null, like `process`, unless the operator shows details (HEALTH_DETAILS). */
  readonly host: {
    readonly hostname: string;
    readonly platform: string;
    readonly cpus: number;
    readonly loadAverage: number[];
    readonly memory: { readonly totalBytes: number; readonly freeBytes: number };
  } | null;
  readonly process: { readonly rssBytes: number; readonly heapUsedBytes: number } | null;
  readonly dependencies: Check[];
  readonly services: ServiceHealth[];
}

/** The accounts subgraph's shapes (subgraphs/accounts/src/schema.graphql). */

export type Role = 'ADMIN' | 'MEMBER';

export interface User {
  readonly id: string;
  /** Lower-case; what they sign in with. */
  readonly email: string;
  readonly name: string | null;
  readonly role: Role;
  readonly createdAt: string;
  readonly disabled: boolean;
}

export type UserConnection = Connection<User>;

/** An API token for scripts, without its secret. */
export interface ApiToken {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  /** null: it does not expire. */
  readonly expiresAt: string | null;
  /** Roughly (to the minute); null: never used. */
  readonly lastUsedAt: string | null;
}

export interface NewApiToken {
  /** The secret (fg_…): shown once, when it is made. */
  readonly token: string;
  readonly info: ApiToken;
}

/** A link anyone who has it can download one file with (the files subgraph). */
export interface ShareLink {
  readonly id: string;
  /** Same-origin path (/s/<token>); only in the answer that created it, null in listings. */
  readonly url: string | null;
  /** null: it does not expire. */
  readonly expiresAt: string | null;
  readonly fileId: string;
  readonly createdAt: string;
  readonly hasPassword: boolean;
}
