import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildSchema,
  getIntrospectionQuery,
  Kind,
  parse,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import { measureOperation } from '../src/limits/queryLimits.ts';

const schema = buildSchema(`
  type File { id: ID! name: String! owner: User }
  type User { name: String! files(first: Int = 50): FileConnection! }
  type FileConnection { nodes: [File!]! totalCount: Int }
  type Query { files(first: Int = 50, search: String): FileConnection! file(id: ID!): File }
`);

function measure(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  assert.ok(operation);
  return measureOperation(schema, operation, fragments, variables);
}

describe('query limits', () => {
  it('when a list field has `first`, then its children count that many times; without it, its default does', () => {
    assert.deepEqual(measure('{ files(first: 10) { nodes { id name } } }'), {
      depth: 3,
      aliases: 0,
      cost: 1 + 10 * 3,
    });
    assert.equal(measure('{ files { nodes { id } } }').cost, 1 + 50 * 2);
    assert.equal(
      measure('query ($n: Int) { files(first: $n) { totalCount } }', { n: 400 }).cost,
      1 + 400,
    );
  });

  it('when fragments are spread, then their fields count where they are spread, and __typename is free', () => {
    const query = `{ file(id: "1") { ...F __typename } } fragment F on File { owner { files(first: 2) { nodes { name } } } }`;
    assert.deepEqual(measure(query), { depth: 5, aliases: 0, cost: 1 + 1 + 1 + 2 * 2 });
  });

  it('when aliases ask for the same field many times, then each alias counts', () => {
    const query = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: file(id: "${i}") { id }`).join(' ')} }`;
    assert.equal(measure(query).aliases, 40);
  });

  it('when a playground sends the standard introspection query, then it is well within the defaults', () => {
    const { depth, aliases, cost } = measure(getIntrospectionQuery());
    assert.ok(depth <= 15, `depth ${depth}`);
    assert.equal(aliases, 0);
    assert.ok(cost < 20_000, `cost ${cost}`);
  });
});
