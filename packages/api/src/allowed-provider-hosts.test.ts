import { ConfigError, loadConfig } from './config';

const DATABASE_URL = 'postgres://mailer@db.internal:5432/mail';
const LOOPBACK = ['127.0.0.0/8', '::1', 'localhost'];

describe('ALLOWED_PROVIDER_HOSTS', () => {
  it.each([
    ['the embedded quick start (no DATABASE_URL)', {}, LOOPBACK],
    ['the quick start with an empty DATABASE_URL', { DATABASE_URL: '' }, LOOPBACK],
    ['tests, even on a database of their own', { NODE_ENV: 'test', DATABASE_URL }, LOOPBACK],
    ['a server on its own database', { DATABASE_URL }, []],
    ['production without DATABASE_URL', { NODE_ENV: 'production' }, []],
    ['production on its own database', { NODE_ENV: 'production', DATABASE_URL }, []],
    ['an empty list, which allows nothing even in a quick start', { ALLOWED_PROVIDER_HOSTS: '' }, []],
    [
      'an explicit list, whatever the mode',
      { NODE_ENV: 'test', ALLOWED_PROVIDER_HOSTS: '10.0.0.0/8' },
      ['10.0.0.0/8'],
    ],
    [
      'every form at once, trimmed',
      { DATABASE_URL, ALLOWED_PROVIDER_HOSTS: ' 10.0.0.0/8, fd00::/8 ,relay.lan,*.corp.example,, *' },
      ['10.0.0.0/8', 'fd00::/8', 'relay.lan', '*.corp.example', '*'],
    ],
  ])('%s: %j', (_name, env, expected) => {
    expect(loadConfig(env, '/srv/app').allowedProviderHosts).toEqual(expected);
  });

  it.each([
    ['10.0.0.0/33', /ALLOWED_PROVIDER_HOSTS: "10\.0\.0\.0\/33" is not a valid CIDR range/],
    ['10.0.0.0/8,192.168.1.1/16', /ALLOWED_PROVIDER_HOSTS: "192\.168\.1\.1\/16" .*bits set past \/16/],
    ['relay lan', /ALLOWED_PROVIDER_HOSTS: "relay lan" is not a CIDR range, an address, a host name/],
  ])('refuses %s with an error that names the variable', (value, message) => {
    expect(() => loadConfig({ ALLOWED_PROVIDER_HOSTS: value }, '/srv/app')).toThrow(ConfigError);
    expect(() => loadConfig({ ALLOWED_PROVIDER_HOSTS: value }, '/srv/app')).toThrow(message);
  });
});
