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
import { measureOperation } from '../src/limits/measureOperation.ts';

const schema = buildSchema(`
  type File { id: ID! name: String! owner: User }
  type User { name: String! files(first: Int = 50): FileConnection! }
  type FileConnection { nodes: [File!]! totalCount: Int }
  type Query { files(first: Int = 50, search: String): FileConnection! file(id: ID!): File }
`);

/** Fragments by name, counting how often the walk reads one. */
class CountingFragments extends Map<string, FragmentDefinitionNode> {
  reads = 0;
  override get(name: string) {
    this.reads += 1;
    return super.get(name);
  }
}

function measureWith(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const fragments = new CountingFragments(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  assert.ok(operation);
  return { ...measureOperation(schema, operation, fragments, variables), reads: fragments.reads };
}

function measure(query: string, variables: Record<string, unknown> = {}) {
  const { depth, aliases, cost } = measureWith(query, variables);
  return { depth, aliases, cost };
}

/** Fragments F0 … F(n-1), each spreading the next twice, and F(n) holding `leaf`: 2^n copies of it. */
function fanOut(n: number, leaf: string): string {
  const fragments = Array.from(
    { length: n },
    (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
  );
  return `query ($n: Int) { ...F0 } ${fragments.join(' ')} fragment F${n} on Query { ${leaf} }`;
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

  it('when fragments are spread, then their fields count where they are spread, __typename too', () => {
    const query = `{ file(id: "1") { ...F __typename } } fragment F on File { owner { files(first: 2) { nodes { name } } } }`;
    assert.deepEqual(measure(query), { depth: 5, aliases: 0, cost: 1 + 1 + 1 + 2 * 2 + 1 });
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

  it('when each fragment spreads the next twice, then cost and aliases are those of every copy written out', () => {
    assert.deepEqual(measure(fanOut(3, 'a: file(id: "1") { id }')), {
      depth: 2,
      aliases: 2 ** 3,
      cost: 2 ** 3 * 2,
    });
    assert.deepEqual(measure(fanOut(4, 'files(first: $n) { nodes { id } }'), { n: 10 }), {
      depth: 3,
      aliases: 0,
      cost: 2 ** 4 * (1 + 10 * 2),
    });
    // A fragment inside a list field still counts once per item, each time it is spread.
    const nested = `{ files(first: 3) { nodes { ...A ...A } } } fragment A on File { ...B ...B } fragment B on File { name owner { name } }`;
    assert.deepEqual(measure(nested), { depth: 4, aliases: 0, cost: 1 + 3 * (1 + 4 * 3) });
  });

  it('when 20 fragments each spread the next twice, then each fragment is read once, not once per path', () => {
    const { cost, reads } = measureWith(fanOut(20, 'file(id: "1") { id }'));
    assert.equal(cost, 2 ** 20 * 2);
    assert.ok(reads <= 21, `${reads} fragment reads for 21 fragments`);
  });

  it('when 30 fragments fan out to 2^30 copies, then the cost says so and is over any limit', () => {
    const { cost } = measure(fanOut(30, '__typename'));
    assert.equal(cost, 2 ** 30);
    assert.ok(cost > 10_000_000);
  });

  it('when the copies pass 2^53 or even a double’s range, then the numbers still compare as too many', () => {
    const huge = measure(fanOut(60, 'a: file(id: "1") { id }'));
    assert.equal(huge.aliases, 2 ** 60);
    assert.ok(huge.cost > Number.MAX_SAFE_INTEGER);
    const endless = measure(fanOut(1100, 'a: __typename'));
    assert.equal(endless.cost, Infinity);
    assert.equal(endless.aliases, Infinity);
    assert.ok(endless.cost > 10_000_000 && endless.aliases > 1000);
  });

  it('when fragments spread each other in a cycle, then the walk ends and reads each fragment once', () => {
    const cycle = `${fanOut(20, '...F0 file(id: "1") { id }')}`;
    const { cost, reads } = measureWith(cycle);
    assert.equal(cost, 2 ** 20 * 2);
    assert.ok(reads <= 2 * 21, `${reads} fragment reads for 21 fragments`);
  });
});
