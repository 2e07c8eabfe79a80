import { join } from 'node:path';
import { startMinio } from '@filegraph/processes/minio';
import { startPostgres } from '@filegraph/processes/postgres';
import { startService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';
import { filesApiSuite, suiteEnv } from './filesApiSuite.ts';

filesApiSuite('real MinIO, with the PostgreSQL catalogue', async () => {
  const data = await tempDir('files-minio');
  const minio = await startMinio(join(data.path, 'minio'));
  const postgres = await startPostgres(join(data.path, 'postgres'));
  const files = await startService('files', {
    ...suiteEnv,
    ...minio.filesEnv(),
    ...postgres.filesEnv(),
    DATA_DIR: data.path,
  });
  return {
    url: files.url,
    async stop() {
      await files.stop();
      await postgres.stop();
      await minio.stop();
      await data.remove();
    },
  };
});
