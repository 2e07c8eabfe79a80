import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
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
import type { RequestContext } from '@filegraph/shared/apollo';

export interface QueryLimits {
  readonly maxQueryDepth: number;
  readonly maxQueryAliases: number;
  readonly maxQueryCost: number;
}

export interface QueryMeasure {
  readonly depth: number;
  readonly aliases: number;
  readonly cost: number;
}

interface Walk {
  readonly schema: GraphQLSchema;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly variables: Readonly<Record<string, unknown>>;
  aliases: number;
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

/** Depth and cost of a selection set; aliases are counted into `walk`. */
function measure(
  walk: Walk,
  parent: GraphQLCompositeType,
  set: SelectionSetNode,
  seen: ReadonlySet<string>,
): [number, number] {
  let depth = 0;
  let cost = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.alias) walk.aliases += 1;
      if (selection.name.value === '__typename') continue;
      const field = fieldDefinition(parent, selection);
      let childDepth = 0;
      let childCost = 0;
      const type = field && getNamedType(field.type);
      if (selection.selectionSet && type && isCompositeType(type)) {
        [childDepth, childCost] = measure(walk, type, selection.selectionSet, seen);
      }
      depth = Math.max(depth, 1 + childDepth);
      cost += 1 + listWeight(walk, field, selection) * childCost;
    } else {
      let target = parent;
      let selections = selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : undefined;
      let inside = seen;
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = walk.fragments.get(name);
        // A cycle is a validation error reported elsewhere; just stop here.
        if (!fragment || seen.has(name)) continue;
        selections = fragment.selectionSet;
        inside = new Set([...seen, name]);
        const condition = walk.schema.getType(fragment.typeCondition.name.value);
        if (condition && isCompositeType(condition)) target = condition;
      } else if (selection.typeCondition) {
        const condition = walk.schema.getType(selection.typeCondition.name.value);
        if (condition && isCompositeType(condition)) target = condition;
      }
      if (!selections) continue;
      const [fragmentDepth, fragmentCost] = measure(walk, target, selections, inside);
      depth = Math.max(depth, fragmentDepth);
      cost += fragmentCost;
    }
  }
  return [depth, cost];
}

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
  if (!root) return { depth: 0, aliases: 0, cost: 0 };
  const walk: Walk = { schema, fragments, variables, aliases: 0 };
  const [depth, cost] = measure(walk, root, operation.selectionSet, new Set());
  return { depth, aliases: walk.aliases, cost };
}

function refuse(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } },
  });
}

/**
 * Refuses, before anything runs, operations nested too deeply, with too many
 * aliases (one request asking for the same thing hundreds of times), or too
 * costly (list fields count once per item they may return).
 */
export function queryLimits(limits: QueryLimits): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema, request }) {
          if (!operation) return;
          const fragments = new Map<string, FragmentDefinitionNode>();
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION)
              fragments.set(definition.name.value, definition);
          }
          const { depth, aliases, cost } = measureOperation(
            schema,
            operation,
            fragments,
            request.variables ?? {},
          );
          if (depth > limits.maxQueryDepth) {
            throw refuse(
              `The query nests ${depth} levels deep; at most ${limits.maxQueryDepth} are allowed (MAX_QUERY_DEPTH).`,
            );
          }
          if (aliases > limits.maxQueryAliases) {
            throw refuse(
              `The query uses ${aliases} aliases; at most ${limits.maxQueryAliases} are allowed (MAX_QUERY_ALIASES).`,
            );
          }
          if (cost > limits.maxQueryCost) {
            throw refuse(
              `The query could return ${cost} fields; at most ${limits.maxQueryCost} are allowed (MAX_QUERY_COST). Ask for fewer items with \`first\`.`,
            );
          }
        },
      };
    },
  };
}
