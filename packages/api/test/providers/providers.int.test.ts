import { randomUUID } from 'node:crypto';
import type { SmtpTestServer } from '@mail-providers/mailer-core/test-support';
import { dataOf, errorCode } from '../support/test-agent';
import type { TestServer } from '../support/test-server';
import {
  CREATE,
  DELETE,
  GET,
  REORDER,
  UPDATE,
  VERIFY,
  createProvider,
  fieldsOf,
  inputFrom,
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

beforeEach(async () => {
  for (const provider of await listProviders(server)) {
    dataOf(await server.gql(DELETE, { id: provider.id }));
  }
});

async function auditEntries(
  entityId: string,
): Promise<Array<{ action: string; fields: string[]; actor: string }>> {
  const result = await server.db.query<{ action: string; fields: string[]; actor: string }>(
    'SELECT action, fields, actor FROM audit_log WHERE entity_id = $1 ORDER BY id',
    [entityId],
  );
  return result.rows;
}

describe('createProvider', () => {
  it('stores a provider last in the order, inactive and unverified, without returning the password', async () => {
    const first = await createProvider(server, smtpInput(smtp, { password }));
    const second = await createProvider(server, smtpInput(smtp, { password, serviceType: 'FALLBACK' }));
    const crm = await createProvider(
      server,
      smtpInput(smtp, { password, type: 'CRM_API_SMTP', name: uniqueName('crm') }),
    );

    expect(first).toMatchObject({
      type: 'SMTP',
      host: '127.0.0.1',
      port: smtp.port,
      username: 'app',
      passwordSet: true,
      encryption: 'NONE',
      serviceType: 'PRIMARY',
      status: 'INACTIVE',
      priority: 1,
      channel: 'DEFAULT',
      verifiedAt: null,
      lastVerification: null,
      lastTestEmail: null,
      health: { state: 'CLOSED', consecutiveFailures: 0, lastFailure: null },
    });
    expect(second.priority).toBe(2);
    expect(crm).toMatchObject({ priority: 3, channel: 'CRM' });
    expect(JSON.stringify([first, second, crm])).not.toContain(password);
  });

  it('refuses a second provider with the same name in another case, naming the field', async () => {
    const name = uniqueName('Zepto');
    await createProvider(server, smtpInput(smtp, { password, name }));
    const response = await server.gql(CREATE, {
      input: smtpInput(smtp, { password, name: name.toUpperCase() }),
    });
    expect(errorCode(response)).toBe('CONFLICT');
    expect(fieldsOf(response)).toEqual([
      { field: 'input.name', message: expect.stringContaining('already exists') },
    ]);
    expect(await listProviders(server)).toHaveLength(1);
  });

  it('writes an audit entry with field names only', async () => {
    const created = await createProvider(server, smtpInput(smtp, { password }));
    const entries = await auditEntries(created.id);
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'provider.create',
        fields: expect.arrayContaining(['host', 'password']),
      }),
    ]);
    expect(JSON.stringify(entries)).not.toContain(password);
  });
});

describe('provider queries', () => {
  it('lists by priority and reads one by id; unknown or malformed ids read as null', async () => {
    const a = await createProvider(server, smtpInput(smtp, { password }));
    const b = await createProvider(server, smtpInput(smtp, { password }));
    expect((await listProviders(server)).map((p) => p.id)).toEqual([a.id, b.id]);

    const one = dataOf(await server.gql<{ provider: ProviderView }>(GET, { id: b.id })).provider;
    expect(one).toMatchObject({ id: b.id, name: b.name, priority: 2 });
    for (const id of [randomUUID(), 'not-an-id', '']) {
      expect(dataOf(await server.gql<{ provider: ProviderView | null }>(GET, { id })).provider).toBeNull();
    }
  });
});

describe('updateProvider', () => {
  it('saves new settings and keeps the stored password when the input leaves it out', async () => {
    const created = await createProvider(server, smtpInput(smtp, { password }));
    const updated = dataOf(
      await server.gql<{ updateProvider: ProviderView }>(UPDATE, {
        id: created.id,
        input: inputFrom(created, { fromName: 'Renamed Sender', serviceType: 'FALLBACK' }),
      }),
    ).updateProvider;
    expect(updated).toMatchObject({ fromName: 'Renamed Sender', serviceType: 'FALLBACK', passwordSet: true });

    // The stored password still logs in: it was kept, not blanked.
    const verified = dataOf(
      await server.gql<{ verifyProvider: { ok: boolean } }>(VERIFY, { id: created.id }),
    );
    expect(verified.verifyProvider.ok).toBe(true);

    const entries = await auditEntries(created.id);
    expect(entries.find((e) => e.action === 'provider.update')?.fields.sort()).toEqual([
      'fromName',
      'serviceType',
    ]);
  });

  it('refuses a rename onto another provider’s name and unknown ids', async () => {
    const a = await createProvider(server, smtpInput(smtp, { password }));
    const b = await createProvider(server, smtpInput(smtp, { password }));
    const clash = await server.gql(UPDATE, { id: b.id, input: inputFrom(b, { name: a.name.toUpperCase() }) });
    expect(errorCode(clash)).toBe('CONFLICT');

    const missing = await server.gql(UPDATE, { id: randomUUID(), input: inputFrom(b) });
    expect(errorCode(missing)).toBe('NOT_FOUND');
  });

  it('lets a provider keep its own name in another case', async () => {
    const a = await createProvider(server, smtpInput(smtp, { password, name: uniqueName('mixed') }));
    const renamed = dataOf(
      await server.gql<{ updateProvider: ProviderView }>(UPDATE, {
        id: a.id,
        input: inputFrom(a, { name: a.name.toUpperCase() }),
      }),
    ).updateProvider;
    expect(renamed.name).toBe(a.name.toUpperCase());
  });
});

describe('deleteProvider', () => {
  it('closes the gap in the order', async () => {
    const [a, b, c, d] = [
      await createProvider(server, smtpInput(smtp, { password })),
      await createProvider(server, smtpInput(smtp, { password })),
      await createProvider(server, smtpInput(smtp, { password })),
      await createProvider(server, smtpInput(smtp, { password })),
    ];
    expect(dataOf(await server.gql<{ deleteProvider: string }>(DELETE, { id: b?.id })).deleteProvider).toBe(
      b?.id,
    );
    const after = await listProviders(server);
    expect(after.map((p) => [p.id, p.priority])).toEqual([
      [a?.id, 1],
      [c?.id, 2],
      [d?.id, 3],
    ]);
    const entries = await auditEntries(b?.id ?? '');
    expect(entries.map((e) => e.action)).toContain('provider.delete');
  });

  it('answers NOT_FOUND for an unknown id and changes nothing', async () => {
    await createProvider(server, smtpInput(smtp, { password }));
    const before = await providerRows(server);
    for (const id of [randomUUID(), 'nope']) {
      expect(errorCode(await server.gql(DELETE, { id }))).toBe('NOT_FOUND');
    }
    expect(await providerRows(server)).toEqual(before);
  });
});

describe('reorderProviders', () => {
  async function threeProviders(): Promise<ProviderView[]> {
    return [
      await createProvider(server, smtpInput(smtp, { password, name: uniqueName('a') })),
      await createProvider(server, smtpInput(smtp, { password, name: uniqueName('b') })),
      await createProvider(server, smtpInput(smtp, { password, name: uniqueName('c') })),
    ];
  }

  it('applies a complete new order', async () => {
    const [a, b, c] = await threeProviders();
    const ids = [c?.id, a?.id, b?.id];
    const result = dataOf(
      await server.gql<{ reorderProviders: Array<{ id: string; priority: number }> }>(REORDER, { ids }),
    );
    expect(result.reorderProviders.map((p) => [p.id, p.priority])).toEqual([
      [c?.id, 1],
      [a?.id, 2],
      [b?.id, 3],
    ]);
    expect((await listProviders(server)).map((p) => p.id)).toEqual(ids);
  });

  it.each([
    {
      case: 'a provider left out',
      ids: (p: ProviderView[]) => [p[0]?.id, p[1]?.id],
      fields: (p: ProviderView[]) => [{ field: 'ids', message: expect.stringContaining(`"${p[2]?.name}"`) }],
    },
    {
      case: 'a provider twice',
      ids: (p: ProviderView[]) => [p[0]?.id, p[1]?.id, p[2]?.id, p[0]?.id],
      fields: (p: ProviderView[]) => [
        { field: 'ids[3]', message: expect.stringContaining(`"${p[0]?.name}" is listed twice`) },
      ],
    },
    {
      case: 'an unknown id',
      ids: (p: ProviderView[]) => [p[0]?.id, p[1]?.id, p[2]?.id, '00000000-0000-4000-8000-000000000000'],
      fields: () => [{ field: 'ids[3]', message: expect.stringContaining('is not the id of a provider') }],
    },
    {
      case: 'a malformed id in place of one',
      ids: (p: ProviderView[]) => [p[0]?.id, 'first', p[2]?.id],
      fields: (p: ProviderView[]) => [
        { field: 'ids[1]', message: expect.stringContaining('"first" is not the id of a provider') },
        { field: 'ids', message: expect.stringContaining(`"${p[1]?.name}"`) },
      ],
    },
    {
      case: 'an empty list',
      ids: () => [],
      fields: () => [{ field: 'ids', message: expect.stringContaining('leaves out') }],
    },
  ])('refuses $case, naming what is wrong, and changes nothing', async ({ ids, fields }) => {
    const providers = await threeProviders();
    const before = await providerRows(server);
    const response = await server.gql(REORDER, { ids: ids(providers) });
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(response)).toEqual(fields(providers));
    expect(await providerRows(server)).toEqual(before);
  });
});

describe('permissions', () => {
  it('lets a VIEWER read but not write', async () => {
    const created = await createProvider(server, smtpInput(smtp, { password }));
    const viewer = await server.userAgent('VIEWER');
    expect(
      dataOf(await server.gql<{ providers: unknown[] }>('{ providers { id } }', undefined, { as: viewer }))
        .providers,
    ).toHaveLength(1);

    const writes: Array<[string, Record<string, unknown>]> = [
      [CREATE, { input: smtpInput(smtp, { password }) }],
      [UPDATE, { id: created.id, input: inputFrom(created, { fromName: 'Viewer edit' }) }],
      [DELETE, { id: created.id }],
      [REORDER, { ids: [created.id] }],
      [VERIFY, { id: created.id }],
      ['mutation ($id: ID!) { setProviderStatus(id: $id, status: INACTIVE) { id } }', { id: created.id }],
      ['mutation ($to: String!) { sendTestEmail(to: $to) { ok } }', { to: 'someone@example.com' }],
    ];
    const before = await providerRows(server);
    for (const [query, variables] of writes) {
      expect(errorCode(await server.gql(query, variables, { as: viewer }))).toBe('FORBIDDEN');
    }
    expect(await providerRows(server)).toEqual(before);
  });

  it('gives API tokens what their scopes allow', async () => {
    const reader = await server.tokenAgent(['READ']);
    const sender = await server.tokenAgent(['SEND']);
    const manager = await server.tokenAgent(['MANAGE', 'READ']);

    expect(
      errorCode(await server.gql(CREATE, { input: smtpInput(smtp, { password }) }, { as: reader })),
    ).toBe('FORBIDDEN');
    expect(
      errorCode(await server.gql(CREATE, { input: smtpInput(smtp, { password }) }, { as: sender })),
    ).toBe('FORBIDDEN');
    expect(errorCode(await server.gql('{ providers { id } }', undefined, { as: sender }))).toBe('FORBIDDEN');

    const created = dataOf(
      await server.gql<{ createProvider: { id: string } }>(
        CREATE,
        { input: smtpInput(smtp, { password }) },
        { as: manager },
      ),
    ).createProvider;
    expect(
      dataOf(
        await server.gql<{ providers: Array<{ id: string }> }>('{ providers { id } }', undefined, {
          as: reader,
        }),
      ).providers,
    ).toEqual([{ id: created.id }]);
    const entries = await auditEntries(created.id);
    expect(entries[0]?.actor).toMatch(/^token:/);
  });

  it('answers UNAUTHENTICATED without a session or token', async () => {
    for (const query of ['{ providers { id } }', '{ deliveryChain { channel } }']) {
      expect(errorCode(await server.gql(query, undefined, { as: 'anonymous' }))).toBe('UNAUTHENTICATED');
    }
    expect(
      errorCode(await server.gql(CREATE, { input: smtpInput(smtp, { password }) }, { as: 'anonymous' })),
    ).toBe('UNAUTHENTICATED');
  });
});

describe('concurrent changes', () => {
  it('keeps priorities dense and names unique when many requests race', async () => {
    const existing = await Promise.all(
      [1, 2, 3, 4].map(() => createProvider(server, smtpInput(smtp, { password }))),
    );
    const name = uniqueName('race');
    const results = await Promise.all([
      ...[1, 2, 3, 4, 5, 6].map(() => server.gql(CREATE, { input: smtpInput(smtp, { password }) })),
      ...existing.slice(0, 2).map((provider) => server.gql(DELETE, { id: provider.id })),
      ...[name, name.toUpperCase(), name].map((n) =>
        server.gql(CREATE, { input: smtpInput(smtp, { password, name: n }) }),
      ),
    ]);
    expect(results.every((r) => r.status < 500)).toBe(true);
    // Three requests for one name (compared without case): exactly one wins, the others get CONFLICT.
    const sameName = results.slice(8);
    expect(sameName.filter((r) => !r.body.errors).length).toBe(1);
    expect(sameName.filter((r) => errorCode(r) === 'CONFLICT').length).toBe(2);

    const after = await listProviders(server);
    expect(after).toHaveLength(4 + 6 - 2 + 1);
    expect(after.map((p) => p.priority)).toEqual(after.map((_p, i) => i + 1));
  });
});
