import { startMinio } from '@filegraph/testing/minio';
import { startService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';
import { filesApiSuite, suiteEnv } from './filesApiSuite.ts';

filesApiSuite('real MinIO', async () => {
  const data = await tempDir('files-minio');
  const minio = await startMinio(data.path);
  const files = await startService('files', { ...suiteEnv, ...minio.filesEnv() });
  return {
    url: files.url,
    async stop() {
      await files.stop();
      await minio.stop();
      await data.remove();
    },
  };
});
