import { Client } from 'minio';
import type { MinioServer } from '@filegraph/processes/minio';

/** A plain minio-js client on a test MinIO: another tool reading or writing the bucket. */
export function s3Client(minio: MinioServer): Client {
  const endpoint = new URL(minio.endpoint);
  return new Client({
    endPoint: endpoint.hostname,
    port: Number(endpoint.port),
    useSSL: false,
    accessKey: minio.accessKey,
    secretKey: minio.secretKey,
  });
}
