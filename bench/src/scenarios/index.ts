import type { Scenario } from '../Scenario.ts';
import { download } from './download.ts';
import { listing } from './listing.ts';
import { memory } from './memory.ts';
import { queryOverhead } from './query.ts';
import { startup } from './startup.ts';
import { upload } from './upload.ts';

/** In the order they run; start-up last, once the shared stack is stopped. */
export const scenarios: readonly Scenario[] = [
  upload,
  memory,
  download,
  queryOverhead,
  listing,
  startup,
];
