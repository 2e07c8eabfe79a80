import { parentPort, workerData } from 'node:worker_threads';
import { getDistDirectory, renderAltair, type RenderOptions } from 'altair-static';

// Runs in the short-lived worker started by playground.ts (see there for why).
parentPort?.postMessage({
  page: renderAltair(workerData as RenderOptions),
  assets: getDistDirectory(),
});
