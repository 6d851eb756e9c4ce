import { Client } from 'pg';
import { createLogger } from '../../src/logger';
import {
  PROVIDERS_CHANGED_CHANNEL,
  QUEUED_CHANNEL,
  ChangeListener,
} from '../../src/database/change-listener';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { eventually } from './durable-support';

/** The listener that wakes worker processes, against a real PostgreSQL. */
describe('ChangeListener', () => {
  let database: TestDatabase;
  let announcer: Client;
  let listener: ChangeListener | undefined;
  let wakes = 0;
  let rereads = 0;

  const announce = async (times = 1, channel = QUEUED_CHANNEL) => {
    await announcer.query('BEGIN');
    for (let i = 0; i < times; i++) await announcer.query(`SELECT pg_notify($1, '')`, [channel]);
    await announcer.query('COMMIT');
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    announcer = new Client({ connectionString: database.url });
    await announcer.connect();
  });

  afterEach(async () => {
    await listener?.stop();
    listener = undefined;
  });

  afterAll(async () => {
    await announcer?.end();
    await database?.drop();
  });

  beforeEach(() => {
    wakes = 0;
    rereads = 0;
  });

  const start = async () => {
    listener = await ChangeListener.start(
      database.url,
      { onQueued: () => wakes++, onProvidersChanged: () => rereads++ },
      createLogger({ logLevel: 'silent' }),
    );
  };

  it('looks once on start, then once per committed announcement', async () => {
    await start();
    expect(wakes).toBe(1);
    await announce(3);
    await eventually('the announcement to arrive', async () => (wakes === 2 ? true : undefined));
    await announcer.query('BEGIN');
    await announcer.query(`SELECT pg_notify($1, '')`, [QUEUED_CHANNEL]);
    await announcer.query('ROLLBACK');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(wakes).toBe(2);
    expect(rereads).toBe(1);
  });

  it('has the providers read again on start and once per committed provider change, apart from new mail', async () => {
    await start();
    expect(rereads).toBe(1);
    await announce(2, PROVIDERS_CHANGED_CHANNEL);
    await eventually('the change to arrive', async () => (rereads === 2 ? true : undefined));
    await announce();
    await eventually('the announcement to arrive', async () => (wakes === 2 ? true : undefined));
    expect(rereads).toBe(2);
  });

  it('listens only on the channels it has a handler for (a server without a worker: provider changes)', async () => {
    listener = await ChangeListener.start(
      database.url,
      { onProvidersChanged: () => rereads++ },
      createLogger({ logLevel: 'silent' }),
    );
    expect(rereads).toBe(1);
    const { rows } = await announcer.query<{ query: string }>(
      `SELECT query FROM pg_stat_activity WHERE application_name = 'mail-providers-listener' AND datname = $1`,
      [database.name],
    );
    expect(rows).toEqual([{ query: `LISTEN ${PROVIDERS_CHANGED_CHANNEL};` }]);
    await announce();
    await announce(1, PROVIDERS_CHANGED_CHANNEL);
    await eventually('the change to arrive', async () => (rereads === 2 ? true : undefined));
    expect(wakes).toBe(0);
  });

  it('listens again after its connection is cut, and looks for what it may have missed', async () => {
    await start();
    const { rowCount } = await announcer.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'mail-providers-listener' AND datname = $1`,
      [database.name],
    );
    expect(rowCount).toBe(1);
    // The reconnection's own look, and its own reading of the providers.
    await eventually('the listener to be back', async () => (wakes >= 2 ? true : undefined), 10_000);
    expect(rereads).toBe(2);
    const before = wakes;
    await announce();
    await eventually('the announcement to arrive', async () => (wakes > before ? true : undefined));
  });

  it('stops listening on stop', async () => {
    await start();
    await listener?.stop();
    await announce();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(wakes).toBe(1);
    const { rows } = await announcer.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'mail-providers-listener' AND datname = $1`,
      [database.name],
    );
    expect(rows[0]).toEqual({ n: 0 });
  });
});
