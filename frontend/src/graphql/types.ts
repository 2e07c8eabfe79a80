/** The shapes the UI reads from the API (the files and health subgraphs' schema.graphql). */

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

export interface FileConnection {
  readonly nodes: FileNode[];
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
  readonly totalCount: number | null;
}

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
