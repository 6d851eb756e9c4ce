import path from 'node:path';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('fills the documented defaults', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      dataDir: path.resolve('/srv/app', '.data'),
      secretKey: undefined,
      previousSecretKeys: [],
      adminEmail: 'admin@localhost',
      adminPassword: undefined,
      mode: 'all',
      logLevel: 'info',
      nodeEnv: 'development',
      bodyLimit: '1mb',
      trustProxy: false,
      cookieSecure: 'auto',
      loginLimits: { failuresBeforeBlock: 5, blockSeconds: 60, maxBlockSeconds: 900, ipFailuresPerDay: 100 },
      metricsToken: undefined,
    });
  });

  it.each([
    ['PORT', { PORT: '8080' }, { port: 8080 }],
    ['an empty value as unset', { PORT: '', DATABASE_URL: '' }, { port: 4000, databaseUrl: undefined }],
    ['DATA_DIR relative to cwd', { DATA_DIR: 'var/data' }, { dataDir: path.resolve('/srv/app', 'var/data') }],
    ['ADMIN_EMAIL lower-cased', { ADMIN_EMAIL: 'Ops@Example.COM' }, { adminEmail: 'ops@example.com' }],
    [
      'previous keys as a list',
      { MAILER_SECRET_KEY_PREVIOUS: ' a , b ,' },
      { previousSecretKeys: ['a', 'b'] },
    ],
    ['TRUST_PROXY true', { TRUST_PROXY: 'true' }, { trustProxy: true }],
    ['TRUST_PROXY hops', { TRUST_PROXY: '2' }, { trustProxy: 2 }],
    [
      'TRUST_PROXY addresses',
      { TRUST_PROXY: 'loopback, 10.0.0.0/8' },
      { trustProxy: 'loopback, 10.0.0.0/8' },
    ],
    ['BODY_LIMIT normalised', { BODY_LIMIT: '2 MB' }, { bodyLimit: '2mb' }],
    ['MODE', { MODE: 'worker' }, { mode: 'worker' }],
    [
      'DATABASE_URL',
      { DATABASE_URL: 'postgresql://u:p@db:5432/mail' },
      { databaseUrl: 'postgresql://u:p@db:5432/mail' },
    ],
    [
      'the login limits',
      {
        LOGIN_FAILURES_BEFORE_BLOCK: '3',
        LOGIN_BLOCK_SECONDS: '10',
        LOGIN_MAX_BLOCK_SECONDS: '600',
        LOGIN_IP_FAILURES_PER_DAY: '40',
      },
      {
        loginLimits: { failuresBeforeBlock: 3, blockSeconds: 10, maxBlockSeconds: 600, ipFailuresPerDay: 40 },
      },
    ],
    [
      'the former names of the login limits',
      { LOGIN_MAX_FAILURES_PER_ACCOUNT: '7', LOGIN_MAX_FAILURES_PER_IP: '70' },
      { loginLimits: expect.objectContaining({ failuresBeforeBlock: 7, ipFailuresPerDay: 70 }) },
    ],
    [
      'the new names of the login limits over the former ones',
      { LOGIN_FAILURES_BEFORE_BLOCK: '3', LOGIN_MAX_FAILURES_PER_ACCOUNT: '7' },
      { loginLimits: expect.objectContaining({ failuresBeforeBlock: 3 }) },
    ],
    [
      'a longest wait below the first as the first',
      { LOGIN_BLOCK_SECONDS: '120', LOGIN_MAX_BLOCK_SECONDS: '30' },
      { loginLimits: expect.objectContaining({ blockSeconds: 120, maxBlockSeconds: 120 }) },
    ],
    ['METRICS_TOKEN', { METRICS_TOKEN: 'a'.repeat(32) }, { metricsToken: 'a'.repeat(32) }],
  ])('reads %s', (_case, env, expected) => {
    expect(loadConfig(env, '/srv/app')).toMatchObject(expected);
  });

  it.each([
    ['auto by default, on one core', {}, 1, false],
    ['auto by default, on two cores', {}, 2, true],
    ['auto, on eight cores', { WORKER_THREAD: 'auto' }, 8, true],
    ['true, even on one core', { WORKER_THREAD: 'true' }, 1, true],
    ['false, on eight cores', { WORKER_THREAD: 'false' }, 8, false],
  ])('runs the MODE=all worker on a thread of its own: WORKER_THREAD %s', (_case, env, cores, expected) => {
    expect(loadConfig(env, '/srv/app', cores)).toMatchObject({ mode: 'all', workerThread: expected });
  });

  it.each([
    ['PORT out of range', { PORT: '70000' }, 'PORT must be a whole number between 0 and 65535.'],
    ['PORT not a number', { PORT: 'http' }, 'PORT must be a whole number between 0 and 65535.'],
    [
      'DATABASE_URL of another kind',
      { DATABASE_URL: 'mysql://db/mail' },
      'DATABASE_URL must be a PostgreSQL URL',
    ],
    ['a short ADMIN_PASSWORD', { ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD must be at least 8 characters'],
    ['an ADMIN_EMAIL without @', { ADMIN_EMAIL: 'admin' }, 'ADMIN_EMAIL must be an email address'],
    ['an unknown MODE', { MODE: 'both' }, 'MODE must be api, worker or all.'],
    [
      'a WORKER_THREAD other than auto, true or false',
      { WORKER_THREAD: 'yes' },
      'WORKER_THREAD must be auto, true or false',
    ],
    ['an unknown NODE_ENV', { NODE_ENV: 'staging' }, 'NODE_ENV must be development, production or test.'],
    ['a BODY_LIMIT without unit', { BODY_LIMIT: '1000' }, 'BODY_LIMIT must be a size such as 1mb or 512kb.'],
    [
      'a LOGIN_FAILURES_BEFORE_BLOCK of 0',
      { LOGIN_FAILURES_BEFORE_BLOCK: '0' },
      'LOGIN_FAILURES_BEFORE_BLOCK must be a whole number between 1 and 1000.',
    ],
    ['a short METRICS_TOKEN', { METRICS_TOKEN: 'secret' }, 'METRICS_TOKEN must be 16 to 256 printable'],
    [
      'a METRICS_TOKEN with a space',
      { METRICS_TOKEN: 'a'.repeat(10) + ' ' + 'b'.repeat(10) },
      'METRICS_TOKEN must be',
    ],
  ])('refuses %s with a clear message', (_case, env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({ PORT: '-1', MODE: 'x', LOG_LEVEL: 'loud' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect(error instanceof ConfigError ? error.problems : []).toHaveLength(3);
    }
  });
});
