import type { SmtpTestServer } from '@mail-providers/mailer-core/test-support';
import { dataOf, errorCode } from '../support/test-agent';
import type { TestServer } from '../support/test-server';
import {
  DELETE,
  createProvider,
  fieldsOf,
  listProviders,
  providerRows,
  smtpInput,
  startServerWithSmtp,
  uniqueName,
  type ProviderView,
} from './provider-support';

let server: TestServer;
let smtp: SmtpTestServer;
let password: string;

startServerWithSmtp((running) => ({ server, smtp, password } = running));

const REORDER_TIERS = `mutation ($ids: [ID!]!, $serviceTypes: [ProviderServiceTypeInput!]) {
  reorderProviders(ids: $ids, serviceTypes: $serviceTypes) { id name priority serviceType settingsChangedAt }
}`;

interface Ordered {
  id: string;
  name: string;
  priority: number;
  serviceType: string;
  settingsChangedAt: string;
}

let providers: ProviderView[];

beforeEach(async () => {
  for (const provider of await listProviders(server)) {
    dataOf(await server.gql(DELETE, { id: provider.id }));
  }
  // Two primaries and a fallback, in that order.
  providers = [
    await createProvider(server, smtpInput(smtp, { password, name: uniqueName('a') })),
    await createProvider(server, smtpInput(smtp, { password, name: uniqueName('b') })),
    await createProvider(
      server,
      smtpInput(smtp, { password, name: uniqueName('c'), serviceType: 'FALLBACK' }),
    ),
  ];
});

function provider(index: number): ProviderView {
  const found = providers[index];
  if (!found) throw new Error(`no provider ${index}`);
  return found;
}

async function reorder(variables: Record<string, unknown>): Promise<Ordered[]> {
  return dataOf(await server.gql<{ reorderProviders: Ordered[] }>(REORDER_TIERS, variables)).reorderProviders;
}

async function auditSince(
  id: number,
): Promise<Array<{ action: string; entity_id: string | null; fields: string[] }>> {
  const { rows } = await server.db.query<{ action: string; entity_id: string | null; fields: string[] }>(
    `SELECT action, entity_id, fields FROM audit_log WHERE id > $1 ORDER BY id`,
    [id],
  );
  return rows;
}

async function lastAuditId(): Promise<number> {
  const { rows } = await server.db.query<{ id: string }>(
    `SELECT coalesce(max(id), 0)::text AS id FROM audit_log`,
  );
  return Number(rows[0]?.id ?? 0);
}

describe('reorderProviders with serviceTypes', () => {
  it('moves a primary into the fallbacks and saves the new order in one step', async () => {
    const [a, b, c] = [provider(0), provider(1), provider(2)];
    const since = await lastAuditId();
    const result = await reorder({
      ids: [a.id, c.id, b.id],
      serviceTypes: [{ id: b.id, serviceType: 'FALLBACK' }],
    });
    expect(result.map((p) => [p.id, p.priority, p.serviceType])).toEqual([
      [a.id, 1, 'PRIMARY'],
      [c.id, 2, 'FALLBACK'],
      [b.id, 3, 'FALLBACK'],
    ]);
    // A tier is a place in the chain: the provider's last test still counts.
    expect(result.find((p) => p.id === b.id)?.settingsChangedAt).toBe(b.settingsChangedAt);
    expect(await auditSince(since)).toEqual([
      { action: 'provider.update', entity_id: b.id, fields: ['serviceType'] },
      { action: 'provider.reorder', entity_id: null, fields: ['priority'] },
    ]);
  });

  it('changes a tier without moving anything, and records only the tier', async () => {
    const [a, b, c] = [provider(0), provider(1), provider(2)];
    const since = await lastAuditId();
    const result = await reorder({
      ids: [a.id, b.id, c.id],
      serviceTypes: [
        { id: c.id, serviceType: 'PRIMARY' },
        { id: a.id, serviceType: 'PRIMARY' },
      ],
    });
    expect(result.map((p) => p.serviceType)).toEqual(['PRIMARY', 'PRIMARY', 'PRIMARY']);
    // a kept its tier: only c changed.
    expect(await auditSince(since)).toEqual([
      { action: 'provider.update', entity_id: c.id, fields: ['serviceType'] },
    ]);
  });

  it('keeps working for clients that send ids only', async () => {
    const [a, b, c] = [provider(0), provider(1), provider(2)];
    const result = await reorder({ ids: [b.id, a.id, c.id] });
    expect(result.map((p) => [p.id, p.serviceType])).toEqual([
      [b.id, 'PRIMARY'],
      [a.id, 'PRIMARY'],
      [c.id, 'FALLBACK'],
    ]);
  });

  it.each([
    {
      case: 'an unknown id',
      ids: (p: ProviderView[]) => p.map((one) => one.id),
      tiers: () => [{ id: '00000000-0000-4000-8000-000000000000', serviceType: 'FALLBACK' }],
      fields: () => [
        { field: 'serviceTypes[0].id', message: expect.stringContaining('is not the id of a provider') },
      ],
    },
    {
      case: 'a malformed id',
      ids: (p: ProviderView[]) => p.map((one) => one.id),
      tiers: (p: ProviderView[]) => [
        { id: p[0]?.id, serviceType: 'FALLBACK' },
        { id: 'second', serviceType: 'PRIMARY' },
      ],
      fields: () => [
        { field: 'serviceTypes[1].id', message: expect.stringContaining('"second" is not the id') },
      ],
    },
    {
      case: 'a provider given a tier twice',
      ids: (p: ProviderView[]) => p.map((one) => one.id),
      tiers: (p: ProviderView[]) => [
        { id: p[1]?.id, serviceType: 'FALLBACK' },
        { id: p[1]?.id, serviceType: 'PRIMARY' },
      ],
      fields: (p: ProviderView[]) => [
        {
          field: 'serviceTypes[1].id',
          message: expect.stringContaining(`"${p[1]?.name}" is given a tier twice`),
        },
      ],
    },
    {
      case: 'a valid tier change with an incomplete order',
      ids: (p: ProviderView[]) => [p[0]?.id, p[1]?.id],
      tiers: (p: ProviderView[]) => [{ id: p[1]?.id, serviceType: 'FALLBACK' }],
      fields: (p: ProviderView[]) => [{ field: 'ids', message: expect.stringContaining(`"${p[2]?.name}"`) }],
    },
    {
      case: 'problems in both lists',
      ids: (p: ProviderView[]) => [p[0]?.id, p[1]?.id, p[2]?.id, p[0]?.id],
      tiers: () => [{ id: 'nope', serviceType: 'PRIMARY' }],
      fields: (p: ProviderView[]) => [
        { field: 'ids[3]', message: expect.stringContaining(`"${p[0]?.name}" is listed twice`) },
        { field: 'serviceTypes[0].id', message: expect.stringContaining('"nope" is not the id') },
      ],
    },
  ])(
    'refuses $case, naming the field, and changes neither order nor tier',
    async ({ ids, tiers, fields }) => {
      const before = await providerRows(server);
      const since = await lastAuditId();
      const response = await server.gql(REORDER_TIERS, {
        ids: ids(providers),
        serviceTypes: tiers(providers),
      });
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(response)).toEqual(fields(providers));
      expect(await providerRows(server)).toEqual(before);
      expect(await auditSince(since)).toEqual([]);
    },
  );

  it('refuses a tier that is not PRIMARY or FALLBACK before touching anything', async () => {
    const before = await providerRows(server);
    const response = await server.gql(REORDER_TIERS, {
      ids: providers.map((one) => one.id),
      serviceTypes: [{ id: provider(0).id, serviceType: 'SECONDARY' }],
    });
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.body.errors?.[0]?.message).toMatch(/serviceType/);
    expect(await providerRows(server)).toEqual(before);
  });

  it('needs MANAGE', async () => {
    const reader = await server.tokenAgent(['READ']);
    const response = await server.gql(
      REORDER_TIERS,
      {
        ids: providers.map((one) => one.id),
        serviceTypes: [{ id: provider(0).id, serviceType: 'FALLBACK' }],
      },
      { as: reader },
    );
    expect(errorCode(response)).toBe('FORBIDDEN');
  });
});
