import type { DataSource } from 'typeorm';
import { renderAlert, type AlertCode, type AlertParams } from '../../src/alerts/alert-text';
import { AlertCodes1763701600000 } from '../../src/migrations/1763701600000-alert-codes';
import { dataSourceWith, migrationsBefore } from '../support/migrated-data-source';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const BEFORE = migrationsBefore(AlertCodes1763701600000);

const authFailure = JSON.stringify({
  category: 'AUTH',
  smtpCode: 535,
  enhancedCode: '5.7.8',
  message: 'authentication failed',
  hint: { en: 'Check the password.', tr: 'Şifreyi kontrol edin.' },
});

/** Alerts as the earlier release stored them (English text only), and what each becomes. */
const ROWS: Array<{
  kind: string;
  provider: string;
  message: string;
  failure: string | null;
  code: AlertCode;
  params: AlertParams;
}> = [
  {
    kind: 'CIRCUIT_OPENED',
    provider: 'Main',
    message:
      'Main: circuit opened after 3 failure(s), last AUTH: authentication failed — Check the password.',
    failure: authFailure,
    code: 'CIRCUIT_OPENED',
    params: { providerName: 'Main', failures: 3, category: 'AUTH', smtpCode: 535, enhancedCode: '5.7.8' },
  },
  {
    kind: 'CIRCUIT_OPENED',
    provider: 'Quiet',
    message: 'Quiet: circuit opened.',
    failure: null,
    code: 'CIRCUIT_OPENED',
    params: { providerName: 'Quiet' },
  },
  {
    kind: 'CIRCUIT_CLOSED',
    provider: 'Main',
    message: 'Main: circuit closed, the provider delivers again.',
    failure: null,
    code: 'CIRCUIT_CLOSED',
    params: { providerName: 'Main' },
  },
  {
    kind: 'CIRCUIT_CLOSED',
    provider: 'Edited',
    message: 'Edited: health reset after its settings changed; it is tried again.',
    failure: null,
    code: 'HEALTH_RESET',
    params: { providerName: 'Edited' },
  },
  {
    kind: 'FALLBACK_USED',
    provider: 'Main',
    message:
      'Mail went out through Backup because of it because Main failed (AUTH: authentication failed — Check the password.).',
    failure: authFailure,
    code: 'FALLBACK_USED',
    params: {
      providerName: 'Main',
      deliveredByName: 'Backup because of it',
      category: 'AUTH',
      smtpCode: 535,
      enhancedCode: '5.7.8',
    },
  },
  {
    kind: 'FALLBACK_USED',
    provider: 'Skipped',
    message: 'Mail went out through Backup because Skipped failed (its circuit is open).',
    failure: null,
    code: 'FALLBACK_USED',
    params: { providerName: 'Skipped', deliveredByName: 'Backup' },
  },
  {
    kind: 'FALLBACK_USED',
    provider: 'Renamed',
    message: 'A text the migration does not recognise.',
    failure: null,
    code: 'FALLBACK_USED',
    params: { providerName: 'Renamed' },
  },
];

describe('the alert codes migration', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    const before = await dataSourceWith(database.url, BEFORE).initialize();
    await before.runMigrations();
    for (const [index, row] of ROWS.entries()) {
      await before.query(
        `INSERT INTO alert_events (kind, provider_id, provider_name, message, failure, resolved_at)
         VALUES ($1, $2, $3, $4, $5::jsonb, now())`,
        [row.kind, `provider-${index}`, row.provider, row.message, row.failure],
      );
    }
    await before.destroy();
    dataSource = await dataSourceWith(database.url, BEFORE + 1).initialize();
    await dataSource.runMigrations();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it.each(ROWS.map((row, index) => ({ ...row, index })))(
    '$kind "$message" becomes $code',
    async ({ index, code, params, message }) => {
      const [stored] = await dataSource.query<Array<{ code: string; params: AlertParams; message: string }>>(
        `SELECT code, params, message FROM alert_events WHERE provider_id = $1`,
        [`provider-${index}`],
      );
      expect(stored).toEqual({ code, params, message });
      // Every migrated row renders in both languages.
      expect(renderAlert(code, params, 'tr')).toContain(`"${params.providerName}"`);
    },
  );
});
