import {
  ConfigError,
  kinds,
  optional,
  readConfig,
  setting,
  type ConfigOf,
  type Env,
} from '@filegraph/shared/config';
import { serviceSettings, uploadSettings, registrationSettings } from '@filegraph/shared/settings';
import { identitySettings } from '@filegraph/shared/identitySettings';
import { internalTlsSettings } from '@filegraph/shared/tls';

export const filesSettings = {
  ...serviceSettings(4001),
  ...uploadSettings,
  ...registrationSettings,
  ...internalTlsSettings,
  ...identitySettings,
  storage: setting(
    'STORAGE',
    'Where files are kept: disk (a folder) or minio (MinIO or any S3-compatible server)',
    kinds.oneOf(['disk', 'minio']),
    'disk',
  ),
  dataDir: setting(
    'DATA_DIR',
    "Folder for the files' bytes when STORAGE=disk, and for the catalogue when CATALOGUE=sqlite",
    kinds.text(),
    './data',
  ),
  catalogue: setting(
    'CATALOGUE',
    'Where the record of every file is kept: sqlite (a file under DATA_DIR) or postgres (DATABASE_URL)',
    kinds.oneOf(['sqlite', 'postgres']),
    'sqlite',
  ),
  databaseUrl: optional(
    'DATABASE_URL',
    'PostgreSQL connection URL when CATALOGUE=postgres, e.g. postgres://filegraph:secret@postgres:5432/filegraph',
    kinds.url(['postgres:', 'postgresql:']),
    { secret: true },
  ),
  databasePoolSize: setting(
    'DATABASE_POOL_SIZE',
    'Most connections one replica opens to PostgreSQL',
    kinds.integer(1, 100),
    '10',
  ),
  databaseTimeout: setting(
    'DATABASE_TIMEOUT',
    'Longest one catalogue statement, or the wait for a connection, may take before the request fails with UNAVAILABLE',
    kinds.duration(100),
    '5s',
  ),
  sweepInterval: setting(
    'SWEEP_INTERVAL',
    'How often each replica purges the trash of what is past TRASH_RETENTION and deletes bytes no file uses any more',
    kinds.duration(100),
    '1m',
  ),
  trashRetention: setting(
    'TRASH_RETENTION',
    'Deleted files stay in the trash this long, then they are purged with their bytes',
    kinds.duration(60_000),
    '30d',
  ),
  usageSummaryMaxAge: setting(
    'USAGE_SUMMARY_MAX_AGE',
    "How old the usage chart's figures (kept in the catalogue for every replica) may get before a replica counts them again, in the background when an admin looks; each usage report refreshes them too",
    kinds.duration(1_000),
    '5m',
  ),
  minioEndpoint: setting(
    'MINIO_ENDPOINT',
    'S3 endpoint when STORAGE=minio',
    kinds.url(),
    'http://127.0.0.1:9000',
  ),
  minioAccessKey: optional(
    'MINIO_ACCESS_KEY',
    'S3 access key (required when STORAGE=minio)',
    kinds.text(),
  ),
  minioSecretKey: optional(
    'MINIO_SECRET_KEY',
    'S3 secret key (required when STORAGE=minio)',
    kinds.text(),
    {
      secret: true,
    },
  ),
  minioBucket: setting(
    'MINIO_BUCKET',
    'Bucket that holds the files; created at start when missing',
    kinds.text('a bucket name: 3-63 lower-case letters, digits, dots and hyphens'),
    'filegraph',
  ),
  minioRegion: setting('MINIO_REGION', 'S3 region of the bucket', kinds.text(), 'us-east-1'),
  minioPartSize: setting(
    'MINIO_PART_SIZE',
    'Multipart upload part size (S3 minimum 5MiB); each upload holds at most 3 parts in memory',
    kinds.bytes(5 * 2 ** 20),
    '5MiB',
  ),
};

export type FilesConfig = ConfigOf<typeof filesSettings>;

/** Reads the files subgraph's settings from the environment (plus overrides) once. */
export function loadFilesConfig(overrides: Env = {}): FilesConfig {
  const config = readConfig(filesSettings, { ...process.env, ...overrides });
  const problems: string[] = [];
  if (config.catalogue === 'postgres' && !config.databaseUrl)
    problems.push('DATABASE_URL is required when CATALOGUE=postgres');
  if (config.storage === 'minio') {
    if (!config.minioAccessKey) problems.push('MINIO_ACCESS_KEY is required when STORAGE=minio');
    if (!config.minioSecretKey) problems.push('MINIO_SECRET_KEY is required when STORAGE=minio');
  }
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(config.minioBucket)) {
    problems.push(
      `MINIO_BUCKET must be ${filesSettings.minioBucket.expected} (got ${JSON.stringify(config.minioBucket)})`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
