import { fileFields } from '@filegraph/testing/filesClient';
import { sha256 } from '../content.ts';
import { dataOf, postGraphql, type Answer } from '../http.ts';
import { pool } from '../pool.ts';
import type { Scenario } from '../Scenario.ts';
import { median } from '../stats.ts';

const pageSize = 50;
/** Timed requests per listing row (after `warmups` untimed ones). */
const samples = 20;
const warmups = 3;
const seedConcurrency = 64;

interface Page {
  files: {
    nodes: Array<{ name: string }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    totalCount: number | null;
  };
}

const pageQuery = `query ($first: Int, $after: String, $search: String) {
  files(first: $first, after: $after, search: $search) {
    nodes { ${fileFields} } pageInfo { hasNextPage endCursor } totalCount
  }
}`;

const itemName = (index: number) => `scale/item-${String(index).padStart(6, '0')}.txt`;

function sameNames(got: readonly string[], expected: readonly string[], what: string): void {
  if (got.length !== expected.length || got.some((name, i) => name !== expected[i]))
    throw new Error(
      `${what}: got [${got.slice(0, 3).join(', ')} …] (${got.length}), expected [${expected.slice(0, 3).join(', ')} …] (${expected.length})`,
    );
}

/** Times `work` `samples` times after `warmups` untimed calls; returns every time in ms. */
async function timed(
  work: () => Promise<number>,
  count = samples,
  warm = warmups,
): Promise<number[]> {
  for (let i = 0; i < warm; i += 1) await work();
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) times.push(await work());
  return times;
}

export const listing: Scenario = {
  name: 'listing',
  about: 'first page, a deep page and a search with many files stored',
  async run(bench) {
    const { stack, direct, bucket } = await bench.sharedStack();
    const { sizes, runs } = bench.config;
    const count = sizes.listingFiles;
    const progress = (message: string) => bench.progress('listing', message);
    const gateway = `${stack.url}/graphql`;

    // Straight to MinIO, each object with the metadata the files driver writes: the API lists them as its own.
    progress(
      `storing ${count.toLocaleString('en')} files straight into MinIO, ${seedConcurrency} at a time`,
    );
    const seedStarted = performance.now();
    const now = new Date().toISOString();
    await pool(count, seedConcurrency, async (index) => {
      const content = Buffer.from(`item ${index}\n`);
      await direct.put(bucket, itemName(index), content, content.length, {
        'Content-Type': 'text/plain',
        'X-Amz-Meta-sha256': sha256(content),
        'X-Amz-Meta-created-at': now,
        'X-Amz-Meta-updated-at': now,
      });
    });
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    progress(`stored in ${seedSeconds.toFixed(1)} s (${Math.round(count / seedSeconds)} files/s)`);

    // A search for one block of ten names, somewhere in the middle.
    const block = Math.floor((count * 0.4242) / 10) * 10;
    const term = itemName(block).slice('scale/'.length, -'0.txt'.length);
    const expectedMatches = Array.from({ length: count }, (_, i) => itemName(i)).filter((name) =>
      name.includes(term),
    );
    const search = async () => {
      const answer = await postGraphql<Page>(gateway, pageQuery, { search: term, first: pageSize });
      const { files } = dataOf(answer, `search ${term}`);
      if (files.totalCount !== expectedMatches.length)
        throw new Error(
          `search ${term}: totalCount ${files.totalCount}, expected ${expectedMatches.length}`,
        );
      sameNames(
        files.nodes.map((n) => n.name),
        expectedMatches,
        `search ${term}`,
      );
      return answer.ms;
    };
    const scan = async () => {
      const started = performance.now();
      let matches = 0;
      let continuation: string | undefined;
      do {
        const page = await direct.listPage({
          bucket,
          maxKeys: 1000,
          metadata: false,
          continuation,
        });
        matches += page.keys.filter((key) => key.toLowerCase().includes(term)).length;
        continuation = page.next;
      } while (continuation);
      if (matches !== expectedMatches.length)
        throw new Error(`scan for ${term}: ${matches} matches`);
      return performance.now() - started;
    };

    progress('first page');
    let firstNames: string[] = [];
    const firstPage = await timed(async () => {
      const answer = await postGraphql<Page>(gateway, pageQuery, { first: pageSize });
      const { files } = dataOf(answer, 'first page');
      firstNames = files.nodes.map((n) => n.name);
      if (firstNames.length !== pageSize || !files.pageInfo.hasNextPage)
        throw new Error(
          `first page: ${firstNames.length} files, hasNextPage ${files.pageInfo.hasNextPage}`,
        );
      return answer.ms;
    });
    const firstListed = await timed(async () => {
      const started = performance.now();
      const page = await direct.listPage({ bucket, maxKeys: pageSize, metadata: true });
      const ms = performance.now() - started;
      sameNames(page.keys, firstNames, 'first page against ListObjectsV2');
      return ms;
    });

    // Reached once by following cursors, as a client paging through would; then that page is timed.
    const depth = Math.floor(count * 0.9);
    progress(`following cursors to file ${depth.toLocaleString('en')}`);
    let after: string | null = null;
    let lastName = '';
    let pages = 0;
    const pagingStarted = performance.now();
    for (let seen = 0; seen < depth; pages += 1) {
      const answer: Answer<Page> = await postGraphql<Page>(gateway, pageQuery, {
        first: Math.min(1000, depth - seen),
        after,
      });
      const { files } = dataOf(answer, `paging after ${seen} files`);
      const last = files.nodes.at(-1);
      if (!last || !files.pageInfo.endCursor)
        throw new Error(`the listing ended after ${seen} files`);
      seen += files.nodes.length;
      after = files.pageInfo.endCursor;
      lastName = last.name;
    }
    const pagingSeconds = (performance.now() - pagingStarted) / 1000;
    progress(`the page after file ${depth.toLocaleString('en')}`);
    let deepNames: string[] = [];
    const deepPage = await timed(async () => {
      const answer = await postGraphql<Page>(gateway, pageQuery, { first: pageSize, after });
      deepNames = dataOf(answer, 'deep page').files.nodes.map((n) => n.name);
      return answer.ms;
    });
    const deepListed = await timed(async () => {
      const started = performance.now();
      const page = await direct.listPage({
        bucket,
        maxKeys: pageSize,
        metadata: true,
        startAfter: lastName,
      });
      const ms = performance.now() - started;
      sameNames(deepNames, page.keys, 'deep page against ListObjectsV2');
      return ms;
    });

    progress(`search for "${term}" across every name`);
    const searched = await timed(search, runs, 1);
    const scanned = await timed(scan, runs, 1);

    const listObjects = (what: string) =>
      `one ListObjectsV2 request (${what}, with metadata) straight to MinIO`;
    return {
      rows: [
        {
          scenario: 'listing',
          name: `first page of ${pageSize}, ${count.toLocaleString('en')} files stored`,
          unit: 'ms',
          baselineIs: listObjects(`max-keys ${pageSize}`),
          baseline: median(firstListed),
          filegraph: median(firstPage),
          target: { kind: 'max', value: 50 },
          samples: { baseline: firstListed, filegraph: firstPage },
          note: `p50 of ${samples}`,
        },
        {
          scenario: 'listing',
          name: `page of ${pageSize} after file ${depth.toLocaleString('en')}`,
          unit: 'ms',
          baselineIs: listObjects(`max-keys ${pageSize}, start-after`),
          baseline: median(deepListed),
          filegraph: median(deepPage),
          // No target of its own; set beside the first page's, it shows whether depth costs.
          target: { kind: 'none' },
          samples: { baseline: deepListed, filegraph: deepPage },
          note: `p50 of ${samples}`,
        },
        {
          scenario: 'listing',
          name: `search across ${count.toLocaleString('en')} names`,
          unit: 'ms',
          baselineIs:
            'every name listed straight from MinIO (ListObjectsV2, 1000 a page, names only) and matched',
          baseline: median(scanned),
          filegraph: median(searched),
          target: { kind: 'max', value: 1000 },
          samples: { baseline: scanned, filegraph: searched },
          note: `p50 of ${runs}`,
        },
      ],
      notes: [
        `listing: ${count.toLocaleString('en')} files stored straight into MinIO in ${seedSeconds.toFixed(0)} s (${Math.round(count / seedSeconds)} files/s)`,
        `listing: paging to file ${depth.toLocaleString('en')}, 1000 at a time through the gateway: ${pages} pages in ${pagingSeconds.toFixed(1)} s`,
      ],
      details: {
        seeding: { files: count, seconds: seedSeconds, filesPerSecond: count / seedSeconds },
        search: { term, matches: expectedMatches.length },
        'paging to the deep page': { files: depth, pages, seconds: pagingSeconds },
      },
    };
  },
};
