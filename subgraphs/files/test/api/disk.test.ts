import { startService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';
import { filesApiSuite, suiteEnv } from './filesApiSuite.ts';

filesApiSuite('a folder, with the SQLite catalogue', async () => {
  const data = await tempDir('files-disk');
  const files = await startService('files', {
    ...suiteEnv,
    STORAGE: 'disk',
    CATALOGUE: 'sqlite',
    DATA_DIR: data.path,
  });
  return {
    url: files.url,
    async stop() {
      await files.stop();
      await data.remove();
    },
  };
});
