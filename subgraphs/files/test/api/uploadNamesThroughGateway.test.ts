import { after, before, describe } from 'node:test';
import { tokenHeaders } from '@filegraph/testing/accounts';
import { FilesClient } from '@filegraph/testing/filesClient';
import { startService, type RunningService } from '@filegraph/testing/services';
import { tempDir } from '@filegraph/testing/temp';
import { uploadNameTests } from './uploadNameTests.ts';

/**
 * The gateway parses each upload and writes it again for the files
 * subgraph: the name must survive that hop exactly, or the subgraph judges
 * another name than the client sent.
 */
describe('upload names through the gateway of the embedded default', () => {
  let embedded: RunningService;
  let data: { path: string; remove(): Promise<void> };
  let api: FilesClient;

  before(async () => {
    data = await tempDir('gateway-names');
    embedded = await startService('embedded', { DATA_DIR: data.path });
    // As a script: an API token of the first admin, which the embedded default creates.
    api = new FilesClient(embedded.url, { headers: await tokenHeaders(embedded.url) });
  });
  after(async () => {
    await embedded?.stop();
    await data?.remove();
  });

  uploadNameTests(() => api);
});
