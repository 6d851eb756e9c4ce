import type { ApolloServerPlugin } from '@apollo/server';
import {
  Kind,
  visit,
  type DocumentNode,
  type GraphQLField,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql';
import {
  fieldExtensionsEstimator,
  getComplexity,
  simpleEstimator,
  type ComplexityEstimator,
} from 'graphql-query-complexity';
import { QueryRejectedError } from '../errors';

/** A page of `first: n` costs n times what one item costs. */
const pagedEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const first: unknown = args.first;
  if (typeof first === 'number' && Number.isFinite(first) && first > 0) return 1 + childComplexity * first;
  return undefined;
};

/** Whether an estimator reads this field's arguments (so a variable there can change the cost). */
function costReadsArguments(field: GraphQLField<unknown, unknown>): boolean {
  return field.args.some((arg) => arg.name === 'first') || typeof field.extensions.complexity === 'function';
}

function holdsVariable(value: ValueNode): boolean {
  if (value.kind === Kind.VARIABLE) return true;
  if (value.kind === Kind.LIST) return value.values.some(holdsVariable);
  if (value.kind === Kind.OBJECT) return value.fields.some((field) => holdsVariable(field.value));
  return false;
}

/** `@include(if: $x)` and `@skip(if: $x)` decide per request which fields count. */
function hasVariableDirective(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Directive(directive) {
      if (directive.arguments?.some((arg) => holdsVariable(arg.value))) found = true;
    },
  });
  return found;
}

interface DocumentCosts {
  variableDirectives: boolean;
  /** The cost of each operation (by name, '' for the only one) that no variable can change. */
  fixed: Map<string, number>;
}

/**
 * Estimates the cost of an operation: each field costs 1 (or its `complexity` extension), lists with
 * `first` multiply their items. Most operations an integrator repeats (`sendEmail(input: $input)`) cost
 * the same whatever their variables; that cost is kept with the parsed document, which the GraphQL server
 * reuses for every request with the same text, and is not estimated again.
 */
export class CostEstimator {
  private readonly documents = new WeakMap<DocumentNode, DocumentCosts>();

  constructor(private readonly schema: GraphQLSchema) {}

  /** Throws what getComplexity throws for variables it cannot coerce. */
  costOf(
    document: DocumentNode,
    operationName: string | undefined,
    variables: Record<string, unknown>,
  ): number {
    let costs = this.documents.get(document);
    if (!costs) {
      costs = { variableDirectives: hasVariableDirective(document), fixed: new Map() };
      this.documents.set(document, costs);
    }
    const known = costs.fixed.get(operationName ?? '');
    if (known !== undefined) return known;

    let fixed = !costs.variableDirectives;
    // Estimates nothing itself: notes whether a variable reaches an argument that the estimators read.
    const watchVariables: ComplexityEstimator = ({ field, node }) => {
      if (fixed && costReadsArguments(field) && node.arguments?.some((arg) => holdsVariable(arg.value))) {
        fixed = false;
      }
      return undefined;
    };
    const cost = getComplexity({
      schema: this.schema,
      query: document,
      ...(operationName ? { operationName } : {}),
      variables,
      estimators: [
        watchVariables,
        pagedEstimator,
        fieldExtensionsEstimator(),
        simpleEstimator({ defaultComplexity: 1 }),
      ],
    });
    if (fixed) costs.fixed.set(operationName ?? '', cost);
    return cost;
  }
}

/**
 * Refuses operations whose estimated cost exceeds `maxComplexity`. Runs once the operation is known,
 * with the request's variables, so `first: $n` counts too.
 */
export function complexityLimit(schema: GraphQLSchema, maxComplexity: number): ApolloServerPlugin {
  const estimator = new CostEstimator(schema);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          let complexity: number;
          try {
            complexity = estimator.costOf(document, request.operationName, request.variables ?? {});
          } catch {
            // Bad variables: execution reports them with graphql's own message.
            return;
          }
          if (complexity > maxComplexity) {
            throw new QueryRejectedError(
              `The operation is too expensive (cost ${complexity}, limit ${maxComplexity}); ask for fewer fields or smaller pages.`,
              'QUERY_TOO_COMPLEX',
            );
          }
        },
      };
    },
  };
}
