import { buildSchema, parse } from 'graphql';
import { CostEstimator } from './complexity-limit';

const schema = buildSchema(`
  type Item { id: ID!  name: String! }
  input Message { to: [String!]!  subject: String! }
  type Query {
    items(first: Int = 10, search: String): [Item!]!
    item(id: ID!): Item
  }
  type Mutation { send(input: Message!): Item! }
`);

// Each document is parsed once and asked about with each set of variables in turn, as a server reuses
// the parsed document of a repeated operation; a remembered cost must always be the one a fresh
// estimate gives for those variables.
interface Case {
  name: string;
  query: string;
  variableSets: Array<Record<string, unknown>>;
  /** The operation names asked for, when the document holds several. */
  operations?: string[];
}

const cases: Case[] = [
  { name: 'no variables', query: '{ item(id: "1") { id name } }', variableSets: [{}, {}] },
  {
    name: 'a variable in an argument no estimator reads',
    query: 'mutation ($input: Message!) { send(input: $input) { id } }',
    variableSets: [
      { input: { to: ['a@example.org'], subject: 'x' } },
      { input: { to: ['b@example.org'], subject: 'y' } },
    ],
  },
  {
    name: 'a page size from a variable',
    query: 'query ($n: Int) { items(first: $n) { id name } }',
    variableSets: [{ n: 5 }, { n: 500 }, {}, { n: 1 }],
  },
  {
    name: 'a variable in another argument of a paged field',
    query: 'query ($s: String) { items(first: 3, search: $s) { id } }',
    variableSets: [{ s: 'a' }, { s: 'b' }],
  },
  {
    name: '@include with a variable',
    query: 'query ($all: Boolean!) { item(id: "1") { id } items(first: 50) @include(if: $all) { id name } }',
    variableSets: [{ all: false }, { all: true }, { all: false }],
  },
  {
    name: '@skip with a variable on a fragment spread',
    query:
      'query ($lean: Boolean!) { ...Many @skip(if: $lean) item(id: "1") { id } } fragment Many on Query { items(first: 20) { id } }',
    variableSets: [{ lean: true }, { lean: false }],
  },
  {
    name: 'several operations, each with its own cost',
    query: 'query Small { item(id: "1") { id } } query Large { items(first: 40) { id name } }',
    variableSets: [{}, {}],
    operations: ['Large', 'Small'],
  },
];

describe('CostEstimator', () => {
  it.each(cases)(
    '$name: a remembered cost equals a fresh estimate',
    ({ query, variableSets, operations }) => {
      const document = parse(query);
      const estimator = new CostEstimator(schema);
      for (const variables of variableSets) {
        for (const name of operations ?? [undefined]) {
          const fresh = new CostEstimator(schema).costOf(parse(query), name, variables);
          expect(estimator.costOf(document, name, variables)).toBe(fresh);
        }
      }
    },
  );

  it('counts a page size from a variable each time', () => {
    const document = parse('query ($n: Int) { items(first: $n) { id name } }');
    const estimator = new CostEstimator(schema);
    expect(estimator.costOf(document, undefined, { n: 2 })).toBe(1 + 2 * 2);
    expect(estimator.costOf(document, undefined, { n: 100 })).toBe(1 + 100 * 2);
    expect(estimator.costOf(document, undefined, {})).toBe(1 + 10 * 2);
  });
});
