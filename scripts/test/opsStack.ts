import assert from 'node:assert/strict';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createLogger } from '@filegraph/shared/logger';
import { root } from '@filegraph/processes/root';
import { testAdmin, tokenHeaders } from '@filegraph/testing/accounts';
import { tempDir } from '@filegraph/testing/temp';
import { loadStackConfig } from '../stack/config.ts';
import type { OpsServices } from '../stack/opsServices.ts';
import { startStack, type Stack } from '../stack/startStack.ts';

export interface OpsStack {
  readonly stack: Stack;
  readonly ops: OpsServices;
  /** The first admin's API token, as headers. */
  readonly admin: () => Record<string, string>;
  /** Stops the stack and the ops services, and removes their data. */
  stop(): Promise<void>;
}

/**
 * The native stack as `npm run stack -- --ops` starts it, with two files
 * replicas and one accounts replica (these machines have 2 cores), the
 * first admin signed in; its log goes to test-results/<name>-e2e.log.
 */
export async function startOpsStack(
  name: string,
  settings: Readonly<Record<string, string>> = {},
): Promise<OpsStack> {
  const data = await tempDir(`${name}-stack`);
  await mkdir(join(root, 'test-results'), { recursive: true });
  const log = createWriteStream(join(root, `test-results/${name}-e2e.log`));
  let stack: Stack | undefined;
  const stop = async () => {
    await stack?.stop();
    log.end();
    await data.remove();
  };
  try {
    stack = await startStack(
      loadStackConfig({
        DATA_DIR: data.path,
        PORT: '0',
        OPS: '1',
        FILES_REPLICAS: '2',
        ACCOUNTS_REPLICAS: '1',
        ADMIN_EMAIL: testAdmin.email,
        ADMIN_PASSWORD: testAdmin.password,
        ...settings,
      }),
      createLogger({ level: 'info', format: 'json', write: (line) => log.write(`${line}\n`) }),
    );
    assert.ok(stack.ops, 'OPS=1 starts the operations stack');
    return { stack, ops: stack.ops, admin: await tokenHeaders(stack.url), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
