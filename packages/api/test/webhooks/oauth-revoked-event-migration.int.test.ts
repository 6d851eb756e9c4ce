import type { DataSource } from 'typeorm';
import { OAuthRevokedEvent1763702900000 } from '../../src/migrations/1763702900000-oauth-revoked-event';
import { dataSourceWith, migrationsBefore } from '../support/migrated-data-source';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const THROUGH = migrationsBefore(OAuthRevokedEvent1763702900000) + 1;

/** An endpoint as the earlier release stored it; returns its id. */
async function endpoint(db: DataSource, createdBy: string | null, eventTypes: string[]): Promise<string> {
  const rows = await db.query<Array<{ id: string }>>(
    `INSERT INTO webhook_endpoints (url, event_types, secret_ciphertext, secret_key_id, created_by)
     VALUES ('https://hooks.example.com/' || gen_random_uuid(), $1, 'x', 'k', $2) RETURNING id`,
    [eventTypes, createdBy],
  );
  return rows[0]!.id;
}

describe('the PROVIDER_OAUTH_REVOKED migration', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let alertUrl: string;
  let integrator: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    // Up to this migration only, so that undoing the last migration undoes this one.
    dataSource = await dataSourceWith(database.url, THROUGH).initialize();
    await dataSource.runMigrations();
    await dataSource.undoLastMigration();
    alertUrl = await endpoint(dataSource, 'ALERT_WEBHOOK_URL', [
      'PROVIDER_PAUSED',
      'PROVIDER_RECOVERED',
      'FALLBACK_USED',
    ]);
    integrator = await endpoint(dataSource, null, ['DELIVERY_BOUNCED']);
    await dataSource.runMigrations();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const typesOf = async (id: string): Promise<string[]> =>
    (
      await dataSource.query<Array<{ event_types: string[] }>>(
        `SELECT event_types FROM webhook_endpoints WHERE id = $1`,
        [id],
      )
    )[0]!.event_types;

  const writeEvent = () =>
    dataSource.query(
      `INSERT INTO events (type, provider_id, payload) VALUES ('PROVIDER_OAUTH_REVOKED', gen_random_uuid(), '{}')`,
    );

  it('subscribes the ALERT_WEBHOOK_URL endpoint to the new event, and no other endpoint', async () => {
    expect(await typesOf(alertUrl)).toEqual([
      'PROVIDER_PAUSED',
      'PROVIDER_RECOVERED',
      'FALLBACK_USED',
      'PROVIDER_OAUTH_REVOKED',
    ]);
    expect(await typesOf(integrator)).toEqual(['DELIVERY_BOUNCED']);
  });

  it('admits the event, and undoing it removes the event and the subscription', async () => {
    await writeEvent();
    await dataSource.undoLastMigration();
    expect(await typesOf(alertUrl)).toEqual(['PROVIDER_PAUSED', 'PROVIDER_RECOVERED', 'FALLBACK_USED']);
    expect(await dataSource.query(`SELECT 1 FROM events WHERE type = 'PROVIDER_OAUTH_REVOKED'`)).toEqual([]);
    await expect(writeEvent()).rejects.toThrow(/events_type_check/);
    await dataSource.runMigrations();
  });
});
