import { createResource, type Accessor } from 'solid-js';
import type { Client } from '@urql/core';
import { UploadLimitsDocument } from '../graphql/generated.ts';
import type { UploadLimits } from '../graphql/types.ts';

/**
 * What one upload may carry, asked once. Undefined while unknown (or when the
 * server cannot tell): uploads then go out and the server has the last word.
 */
export function createUploadLimits(client: Client): Accessor<UploadLimits | undefined> {
  const [limits] = createResource(async () => {
    const result = await client.query(UploadLimitsDocument, {}).toPromise();
    return result.data?.uploadLimits;
  });
  return () => (limits.error ? undefined : limits.latest);
}
