import { kinds, readConfig, setting, type ConfigOf, type Env } from '@filegraph/shared/config';
import { serviceSettings } from '@filegraph/shared/settings';

/** What `npm run stack` reads; the services it starts read their own settings too. */
export const stackSettings = {
  host: serviceSettings(4000).host,
  port: serviceSettings(4000).port,
  dataDir: setting(
    'DATA_DIR',
    'Folder for MinIO’s and PostgreSQL’s data (under minio/ and postgres/), and for the Consul ACL tokens made at each start (consul/, yours only: it holds the management token)',
    kinds.text(),
    './data',
  ),
  replicas: setting(
    'FILES_REPLICAS',
    'How many files subgraph replicas the stack runs',
    kinds.integer(1, 10),
    '2',
  ),
  minioUser: setting(
    'MINIO_ROOT_USER',
    'MinIO root user (MinIO and the files replicas)',
    kinds.text(),
    'filegraph',
  ),
  minioPassword: setting(
    'MINIO_ROOT_PASSWORD',
    'MinIO root password (MinIO and the files replicas); set your own',
    kinds.text(),
    'filegraph-change-me',
    { secret: true },
  ),
  postgresPassword: setting(
    'POSTGRES_PASSWORD',
    'PostgreSQL password of the filegraph role (PostgreSQL and the files replicas); set your own before the first start: the cluster keeps the one it was made with',
    kinds.text(),
    'filegraph-change-me',
    { secret: true },
  ),
  logLevel: serviceSettings(4000).logLevel,
  logFormat: serviceSettings(4000).logFormat,
};

export type StackConfig = ConfigOf<typeof stackSettings>;

export function loadStackConfig(overrides: Env = {}): StackConfig {
  return readConfig(stackSettings, { ...process.env, ...overrides });
}
