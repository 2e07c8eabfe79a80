import type { AnyVariables, Client } from '@urql/core';
import type { Outcome } from '../files/fileActions.ts';
import { problemOf } from './problems.ts';

const noAnswer = { code: 'UNKNOWN', message: 'The server did not answer.' } as const;

/**
 * Sends a query or mutation and answers its one top-level field (`field`), or
 * what went wrong, in the Outcome the commands read.
 */
export async function request<T>(
  client: Client,
  kind: 'query' | 'mutation',
  document: string,
  variables: AnyVariables,
  field: string,
): Promise<Outcome<T>> {
  const result = await client[kind]<Record<string, T>>(document, variables).toPromise();
  if (result.error) return { ok: false, problem: problemOf(result.error) };
  const value = result.data?.[field];
  if (value === undefined) return { ok: false, problem: noAnswer };
  return { ok: true, value };
}
