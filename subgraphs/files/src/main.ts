import { runSubgraph } from '@filegraph/shared/runSubgraph';
import { loadFilesConfig } from './config.ts';
import { createFilesService } from './server.ts';

await runSubgraph('files', () => loadFilesConfig(), createFilesService);
