import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../config';
import { keyIdOf } from './secret-box';
import { KEY_FILE_NAME, loadSecretKeys, parseSecretKey } from './secret-keys';

describe('parseSecretKey', () => {
  const raw = randomBytes(32);
  it.each([
    ['hex', raw.toString('hex')],
    ['upper-case hex', raw.toString('hex').toUpperCase()],
    ['base64', raw.toString('base64')],
    ['base64 without padding', raw.toString('base64').replace(/=+$/, '')],
    ['base64url', raw.toString('base64url')],
    ['base64 with a trailing newline', `${raw.toString('base64')}\n`],
  ])('reads %s', (_form, text) => {
    expect(parseSecretKey(text, 'MAILER_SECRET_KEY').equals(raw)).toBe(true);
  });

  it.each([
    ['16 bytes', randomBytes(16).toString('base64'), /decodes to 16 bytes but must be 32/],
    ['64 bytes', randomBytes(64).toString('hex'), /decodes to 96 bytes but must be 32|must be 32 bytes/],
    ['a passphrase with spaces', 'correct horse battery staple', /must be 32 bytes written as base64 or hex/],
    ['an empty string', '', /must be 32 bytes written as base64 or hex/],
  ])('refuses %s with a clear message that does not repeat the value', (_case, text, message) => {
    let thrown: unknown;
    try {
      parseSecretKey(text, 'MAILER_SECRET_KEY');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const text_ = String(thrown);
    expect(text_).toMatch(message);
    expect(text_).toContain('openssl rand -base64 32');
    if (text.length > 0) expect(text_).not.toContain(text);
  });
});

describe('loadSecretKeys', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'mail-providers-keys-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  const base = () => ({ secretKey: undefined, previousSecretKeys: [], databaseUrl: undefined, dataDir });

  it('embedded mode without a key generates a key file with mode 0600 and reuses it', async () => {
    const first = await loadSecretKeys(base());
    expect(first.source).toBe('generated');
    const keyFile = path.join(dataDir, KEY_FILE_NAME);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const stored = parseSecretKey(await readFile(keyFile, 'utf8'), 'file');
    expect(first.box.keyId).toBe(keyIdOf(stored));

    const second = await loadSecretKeys(base());
    expect(second.source).toBe('key-file');
    expect(second.box.keyId).toBe(first.box.keyId);
    const sealed = first.box.seal('kept across restarts');
    expect(second.box.open(sealed)).toBe('kept across restarts');
  });

  it('tightens a key file that others could read', async () => {
    await loadSecretKeys(base());
    const keyFile = path.join(dataDir, KEY_FILE_NAME);
    await chmod(keyFile, 0o644);
    await loadSecretKeys(base());
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
  });

  it('refuses to start on DATABASE_URL without MAILER_SECRET_KEY, and says why', async () => {
    const attempt = loadSecretKeys({ ...base(), databaseUrl: 'postgres://db.example.test/mail' });
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toThrow(/MAILER_SECRET_KEY is required when DATABASE_URL is set/);
  });

  it('uses MAILER_SECRET_KEY and old keys from MAILER_SECRET_KEY_PREVIOUS', async () => {
    const current = randomBytes(32);
    const previous = [randomBytes(32), randomBytes(32)];
    const loaded = await loadSecretKeys({
      ...base(),
      databaseUrl: 'postgres://db.example.test/mail',
      secretKey: current.toString('base64'),
      previousSecretKeys: previous.map((k) => k.toString('hex')),
    });
    expect(loaded.source).toBe('env');
    expect(loaded.box.knownKeyIds).toEqual([keyIdOf(current), ...previous.map(keyIdOf)]);
  });

  it('keeps a generated key file readable after switching the embedded default to MAILER_SECRET_KEY', async () => {
    const generated = await loadSecretKeys(base());
    const sealed = generated.box.seal('written before the switch');
    const current = randomBytes(32);
    const switched = await loadSecretKeys({ ...base(), secretKey: current.toString('hex') });
    expect(switched.box.keyId).toBe(keyIdOf(current));
    expect(switched.box.open(sealed)).toBe('written before the switch');
  });

  it('names the bad variable when a previous key is malformed', async () => {
    await writeFile(path.join(dataDir, 'unused'), '');
    await expect(loadSecretKeys({ ...base(), previousSecretKeys: ['nope'] })).rejects.toThrow(
      /MAILER_SECRET_KEY_PREVIOUS \(key 1\)/,
    );
  });
});
