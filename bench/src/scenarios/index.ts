import type { Scenario } from '../Scenario.ts';
import { catalogue } from './catalogue.ts';
import { download } from './download.ts';
import { logShipping } from './logs.ts';
import { memory } from './memory.ts';
import { queryOverhead } from './query.ts';
import { rename } from './rename.ts';
import { signedIn } from './signedIn.ts';
import { startup } from './startup.ts';
import { upload } from './upload.ts';

/** In the order they run; those with a stack of their own last, once the shared stack is stopped. */
export const scenarios: readonly Scenario[] = [
  upload,
  memory,
  download,
  queryOverhead,
  signedIn,
  rename,
  catalogue,
  logShipping,
  startup,
];
