import { join } from 'node:path';
import { startPostgres } from '@filegraph/processes/postgres';
import { startService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';
import { startVersitygw } from '@filegraph/testing/versitygw';
import { filesApiSuite, suiteEnv } from './filesApiSuite.ts';

// Not MinIO: the same suite on another S3 implementation, with plain object operations only.
filesApiSuite('versitygw (S3, posix backend), with the PostgreSQL catalogue', async () => {
  const data = await tempDir('files-versitygw');
  const s3 = await startVersitygw(join(data.path, 'versitygw'));
  const postgres = await startPostgres(join(data.path, 'postgres'));
  const files = await startService('files', {
    ...suiteEnv,
    ...s3.filesEnv(),
    ...postgres.filesEnv(),
    DATA_DIR: data.path,
  });
  return {
    url: files.url,
    async stop() {
      await files.stop();
      await postgres.stop();
      await s3.stop();
      await data.remove();
    },
  };
});
