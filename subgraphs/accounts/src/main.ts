import { runSubgraph } from '@filegraph/shared/runSubgraph';
import { loadAccountsConfig } from './config.ts';
import { createAccountsService } from './server.ts';

await runSubgraph('accounts', () => loadAccountsConfig(), createAccountsService);
