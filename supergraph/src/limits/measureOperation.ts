import {
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  getNamedType,
  isCompositeType,
  valueFromAST,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * An operation's size as if every fragment were written out where it is
 * spread: a fragment spread twice counts twice. Numbers can pass 2^53 (or
 * reach Infinity) when fragments fan out; they still compare correctly.
 */
export interface QueryMeasure {
  readonly depth: number;
  readonly aliases: number;
  readonly cost: number;
}

const nothing: QueryMeasure = { depth: 0, aliases: 0, cost: 0 };

interface Walk {
  readonly schema: GraphQLSchema;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly variables: Readonly<Record<string, unknown>>;
  /**
   * Each fragment measured once: its type condition fixes its parent type and
   * the variables are the request's, so it measures the same wherever it is
   * spread. Walking it again at every spread made fragments that spread the
   * next one twice cost 2^n steps for n fragments.
   */
  readonly measured: Map<string, QueryMeasure>;
  /** Fragments being measured right now: spreading one of them again is a cycle. */
  readonly entered: Set<string>;
}

function fieldDefinition(
  parent: GraphQLCompositeType,
  node: FieldNode,
): GraphQLField<unknown, unknown> | undefined {
  const name = node.name.value;
  if (name === '__schema') return SchemaMetaFieldDef;
  if (name === '__type') return TypeMetaFieldDef;
  return 'getFields' in parent ? parent.getFields()[name] : undefined;
}

function compositeType(walk: Walk, name: string): GraphQLCompositeType | undefined {
  const type = walk.schema.getType(name);
  return type && isCompositeType(type) ? type : undefined;
}

/** How many items a list field may return: its `first` argument, or that argument's default. */
function listWeight(
  walk: Walk,
  field: GraphQLField<unknown, unknown> | undefined,
  node: FieldNode,
): number {
  const argument = field?.args.find((arg) => arg.name === 'first');
  if (!argument) return 1;
  const given = node.arguments?.find((arg) => arg.name.value === 'first');
  const value = given
    ? valueFromAST(given.value, argument.type, walk.variables)
    : argument.defaultValue;
  return typeof value === 'number' && value > 0 ? value : 1;
}

function measureFragment(walk: Walk, name: string): QueryMeasure {
  const known = walk.measured.get(name);
  if (known) return known;
  const fragment = walk.fragments.get(name);
  // Validation rejects cycles, unknown fragments and unknown types before this
  // runs; here they only must not recurse forever or depend on where they are spread.
  if (!fragment || walk.entered.has(name)) return nothing;
  const parent = compositeType(walk, fragment.typeCondition.name.value);
  if (!parent) return nothing;
  walk.entered.add(name);
  const measure = measureSet(walk, parent, fragment.selectionSet);
  walk.entered.delete(name);
  walk.measured.set(name, measure);
  return measure;
}

function measureSet(walk: Walk, parent: GraphQLCompositeType, set: SelectionSetNode): QueryMeasure {
  let depth = 0;
  let aliases = 0;
  let cost = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.alias) aliases += 1;
      // __typename costs like any field: when it was free, fragments that each
      // spread the next twice (the copies told apart by a directive) and ended
      // in __typename passed every limit, and the query planner then spent
      // seconds per 2^20 copies.
      if (selection.name.value === '__typename') {
        cost += 1;
        continue;
      }
      const field = fieldDefinition(parent, selection);
      const type = field && getNamedType(field.type);
      const child =
        selection.selectionSet && type && isCompositeType(type)
          ? measureSet(walk, type, selection.selectionSet)
          : nothing;
      depth = Math.max(depth, 1 + child.depth);
      aliases += child.aliases;
      cost += 1 + listWeight(walk, field, selection) * child.cost;
    } else {
      let inner: QueryMeasure;
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        inner = measureFragment(walk, selection.name.value);
      } else {
        const condition = selection.typeCondition?.name.value;
        const type = (condition && compositeType(walk, condition)) || parent;
        inner = measureSet(walk, type, selection.selectionSet);
      }
      depth = Math.max(depth, inner.depth);
      aliases += inner.aliases;
      cost += inner.cost;
    }
  }
  return { depth, aliases, cost };
}

/**
 * Depth (fields nested), aliases and cost (fields that could be returned,
 * list fields counted once per item `first` allows) of one operation, in
 * time linear in the document's size.
 */
export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Readonly<Record<string, unknown>>,
): QueryMeasure {
  const root =
    operation.operation === 'mutation'
      ? schema.getMutationType()
      : operation.operation === 'subscription'
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  if (!root) return nothing;
  const walk: Walk = { schema, fragments, variables, measured: new Map(), entered: new Set() };
  return measureSet(walk, root, operation.selectionSet);
}
