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

export const filesSettings = {
  ...serviceSettings(4001),
  ...uploadSettings,
  ...registrationSettings,
  storage: setting(
    'STORAGE',
    'Where files are kept: disk (a folder) or minio (MinIO or any S3-compatible server)',
    kinds.oneOf(['disk', 'minio']),
    'disk',
  ),
  dataDir: setting(
    'DATA_DIR',
    'Folder for files and their catalogue when STORAGE=disk',
    kinds.text(),
    './data',
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
  searchIndexRefresh: setting(
    'SEARCH_INDEX_REFRESH',
    'STORAGE=minio: how often the in-memory names index (search, size order) is read from the bucket again; replicas announce their changes to each other through Consul in between',
    kinds.duration(),
    '5m',
  ),
};

export type FilesConfig = ConfigOf<typeof filesSettings>;

/** Reads the files subgraph's settings from the environment (plus overrides) once. */
export function loadFilesConfig(overrides: Env = {}): FilesConfig {
  const config = readConfig(filesSettings, { ...process.env, ...overrides });
  const problems: string[] = [];
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
