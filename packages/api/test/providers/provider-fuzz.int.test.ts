import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { GqlResponse } from '../support/test-agent';
import { startTestServer, type TestServer } from '../support/test-server';
import { providerRows } from './provider-support';

/**
 * Arbitrary input thrown at the provider mutations over HTTP: the server never answers 500 or an internal
 * error, keeps running, and the table keeps its rules (dense priorities, unique names); a refused call
 * changes nothing at all.
 */
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

const CLIENT_CODES = new Set(['BAD_USER_INPUT', 'CONFLICT', 'NOT_FOUND', 'PROVIDER_NOT_VERIFIED']);

/** Any JSON value, strings with control characters and astral planes included. */
const anything: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom(
    '',
    ' ',
    '\r\n',
    '\u0000',
    'x'.repeat(70_000),
    '<password>',
    'changeme',
    '%00',
    "'; DROP TABLE providers; --",
  ),
  fc.integer(),
  fc.double(),
);

function field<T>(plausible: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 3, arbitrary: plausible }, { weight: 1, arbitrary: anything });
}

/**
 * Inputs near the valid ones and far from them. Status stays INACTIVE (or junk) so no random host is ever
 * contacted: the tests never reach beyond loopback.
 */
const providerInput = fc.record(
  {
    type: field(fc.constantFrom('SMTP', 'API_SMTP', 'CRM_API_SMTP')),
    name: field(fc.string({ minLength: 1, maxLength: 70 })),
    apiVendor: field(
      fc.constantFrom(null, 'ZEPTOMAIL', 'SENDGRID', 'MAILGUN', 'POSTMARK', 'RESEND', 'BREVO', 'SPARKPOST'),
    ),
    host: field(
      fc.oneof(fc.domain(), fc.constantFrom('127.0.0.1', 'localhost', '::1'), fc.string({ maxLength: 260 })),
    ),
    port: field(fc.integer({ min: -5, max: 70_000 })),
    username: field(fc.string({ maxLength: 270 })),
    password: field(fc.oneof(fc.constant(null), fc.string({ maxLength: 80 }), fc.uuid())),
    encryption: field(fc.constantFrom('NONE', 'SSL_TLS', 'STARTTLS')),
    fromEmail: field(fc.oneof(fc.emailAddress(), fc.string({ maxLength: 260 }))),
    fromName: field(fc.string({ maxLength: 140 })),
    serviceType: field(fc.constantFrom('PRIMARY', 'FALLBACK')),
    status: fc.oneof(
      fc.constantFrom(null, 'INACTIVE'),
      anything.filter((v) => v !== 'ACTIVE'),
    ),
  },
  { requiredKeys: [] },
);

type Command =
  | { kind: 'create'; input: unknown }
  | { kind: 'update'; target: number | string; input: unknown }
  | {
      kind: 'reorder';
      shape: 'permutation' | 'drop' | 'duplicate' | 'extra' | 'junk';
      seed: number;
      junk: unknown;
    };

const command: fc.Arbitrary<Command> = fc.oneof(
  providerInput.map((input) => ({ kind: 'create' as const, input })),
  fc
    .tuple(fc.oneof(fc.nat(20), fc.uuid(), fc.string()), providerInput)
    .map(([target, input]) => ({ kind: 'update' as const, target, input })),
  fc
    .tuple(
      fc.constantFrom('permutation', 'drop', 'duplicate', 'extra', 'junk') as fc.Arbitrary<
        'permutation' | 'drop' | 'duplicate' | 'extra' | 'junk'
      >,
      fc.nat(),
      anything,
    )
    .map(([shape, seed, junk]) => ({ kind: 'reorder' as const, shape, seed, junk })),
);

const CREATE = 'mutation ($input: ProviderInput!) { createProvider(input: $input) { id priority } }';
const UPDATE =
  'mutation ($id: ID!, $input: ProviderInput!) { updateProvider(id: $id, input: $input) { id } }';
const REORDER = 'mutation ($ids: [ID!]!) { reorderProviders(ids: $ids) { id priority } }';

async function ids(): Promise<string[]> {
  const result = await server.db.query<{ id: string }>('SELECT id FROM providers ORDER BY priority');
  return result.rows.map((row) => row.id);
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed + 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = state % (i + 1);
    const a = out[i];
    const b = out[j];
    if (a !== undefined && b !== undefined) {
      out[i] = b;
      out[j] = a;
    }
  }
  return out;
}

async function run(cmd: Command): Promise<GqlResponse<unknown>> {
  const current = await ids();
  switch (cmd.kind) {
    case 'create':
      return server.gql(CREATE, { input: cmd.input });
    case 'update': {
      const id =
        typeof cmd.target === 'number'
          ? (current[cmd.target % Math.max(current.length, 1)] ?? randomUUID())
          : cmd.target;
      return server.gql(UPDATE, { id, input: cmd.input });
    }
    case 'reorder': {
      const order = shuffled(current, cmd.seed);
      const variants: Record<typeof cmd.shape, unknown> = {
        permutation: order,
        drop: order.slice(1),
        duplicate: [...order, ...order.slice(0, 1)],
        extra: [...order, randomUUID()],
        junk: cmd.junk,
      };
      return server.gql(REORDER, { ids: variants[cmd.shape] });
    }
  }
}

async function checkInvariants(): Promise<void> {
  const priorities = await server.db.query<{ priority: number }>(
    'SELECT priority FROM providers ORDER BY priority',
  );
  expect(priorities.rows.map((row) => row.priority)).toEqual(priorities.rows.map((_row, index) => index + 1));
  const names = await server.db.query<{ total: string; distinct_names: string }>(
    'SELECT count(*) AS total, count(DISTINCT lower(name)) AS distinct_names FROM providers',
  );
  expect(names.rows[0]?.total).toBe(names.rows[0]?.distinct_names);
}

describe('provider mutations under arbitrary input', () => {
  it('never fail with a server error and never corrupt the providers', async () => {
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 6 }), async (commands) => {
        for (const cmd of commands) {
          const before = await providerRows(server);
          const response = await run(cmd);
          expect(response.status).toBeLessThan(500);
          const errors = response.body.errors ?? [];
          for (const error of errors) {
            expect(CLIENT_CODES.has(String(error.extensions?.code))).toBe(true);
            expect(error.message).toMatch(/\.$/);
          }
          if (errors.length > 0) {
            refused++;
            expect(await providerRows(server)).toEqual(before);
          } else {
            accepted++;
          }
          await checkInvariants();
        }
      }),
      { numRuns: 60 },
    );
    // The generators reach both sides of the rules.
    expect(accepted).toBeGreaterThan(5);
    expect(refused).toBeGreaterThan(5);

    // Still alive and answering.
    const alive = await server.gql('{ providers { id } }');
    expect(alive.status).toBe(200);
  });
});
