import { startService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';
import { filesApiSuite, suiteEnv } from './filesApiSuite.ts';

filesApiSuite('the disk driver', async () => {
  const data = await tempDir('files-disk');
  const files = await startService('files', { ...suiteEnv, STORAGE: 'disk', DATA_DIR: data.path });
  return {
    url: files.url,
    async stop() {
      await files.stop();
      await data.remove();
    },
  };
});
