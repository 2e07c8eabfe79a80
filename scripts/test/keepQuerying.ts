import { graphql } from '@filegraph/testing/graphql';

/**
 * Runs a small query over and over on `workers` connections until stopped,
 * as `headers` says (a signed-in caller: testing/src/accounts.ts); keeps
 * every failure and latency.
 */
export function keepQuerying(
  url: string,
  workers: number,
  headers: () => Record<string, string> = () => ({}),
) {
  let running = true;
  const failures: string[] = [];
  const latencies: number[] = [];
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      const started = performance.now();
      try {
        const answer = await graphql(
          url,
          '{ files(first: 5) { nodes { name } } }',
          {},
          { headers: headers() },
        );
        if (answer.errors)
          failures.push(`${new Date().toISOString()} ${JSON.stringify(answer.errors)}`);
      } catch (error) {
        failures.push(String(error));
      }
      latencies.push(performance.now() - started);
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return { failures, latencies };
    },
  };
}
