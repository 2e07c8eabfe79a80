import type { AnyVariables, Client, TypedDocumentNode } from '@urql/core';
import type { Outcome } from '../files/fileActions.ts';
import { problemOf } from './problems.ts';

const noAnswer = { code: 'UNKNOWN', message: 'The server did not answer.' } as const;

/**
 * Sends a query or mutation and answers its one top-level field (`field`), or
 * what went wrong, in the Outcome the commands read. The document's types
 * (generated.ts) say what the field holds.
 */
export async function request<Data, Variables extends AnyVariables, Field extends keyof Data>(
  client: Client,
  kind: 'query' | 'mutation',
  document: TypedDocumentNode<Data, Variables>,
  variables: Variables,
  field: Field,
): Promise<Outcome<Data[Field]>> {
  const result = await client[kind](document, variables).toPromise();
  if (result.error) return { ok: false, problem: problemOf(result.error) };
  const data = result.data;
  if (data === undefined || data === null || data[field] === undefined)
    return { ok: false, problem: noAnswer };
  return { ok: true, value: data[field] };
}
