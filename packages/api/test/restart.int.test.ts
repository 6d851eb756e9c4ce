import { existsSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { KEY_FILE_NAME } from '../src/secrets/secret-keys';
import type { App } from '../src/server';
import { dataOf, TestAgent } from './support/test-agent';
import { makeDataDir, startEmbeddedApp, testSecret } from './support/test-server';

describe('restart on the same DATA_DIR (embedded PostgreSQL)', () => {
  let dataDir: string;
  const running: App[] = [];

  beforeAll(async () => {
    dataDir = await makeDataDir();
  });
  afterAll(async () => {
    for (const app of running) await app.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps users, sessions and the secret key, and never prints a second password', async () => {
    const first = await startEmbeddedApp(dataDir);
    running.push(first.app);
    const generated = first.app.firstAdmin.generatedPassword;
    expect(first.app.firstAdmin).toMatchObject({ created: true, email: 'owner@example.test' });
    expect(generated).toMatch(/^[A-Za-z0-9_-]{24}$/);
    // The generated password goes to the operator once (main prints it), never into the log.
    expect(first.logs.join('')).not.toContain(generated ?? '');

    const keyFile = path.join(dataDir, KEY_FILE_NAME);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const keyId = first.app.services.secretBox.keyId;
    const sealed = first.app.services.secretBox.seal('provider password before restart');

    const admin = new TestAgent(first.app.url);
    dataOf(await admin.login('owner@example.test', generated ?? ''));
    const viewerPassword = testSecret('viewer');
    dataOf(
      await admin.gql('mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }', {
        i: { email: 'kept@example.test', password: viewerPassword, role: 'VIEWER' },
      }),
    );
    const session = admin.cookies.get('mp_session') ?? '';

    await first.app.close();
    running.pop();
    // The embedded PostgreSQL is really down: its lock file is gone and the port is closed.
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    await expect(fetch(`${first.app.url}/healthz`)).rejects.toThrow();

    const second = await startEmbeddedApp(dataDir);
    running.push(second.app);
    expect(second.app.firstAdmin).toEqual({ created: false, email: 'owner@example.test' });
    expect(second.app.services.secretBox.keyId).toBe(keyId);
    expect(second.app.services.secretBox.open(sealed)).toBe('provider password before restart');

    const viewer = new TestAgent(second.app.url);
    expect(dataOf(await viewer.login('kept@example.test', viewerPassword)).login.role).toBe('VIEWER');
    const resumed = new TestAgent(second.app.url);
    resumed.cookies.set('mp_session', session);
    const me = dataOf(await resumed.gql<{ me: { email: string } | null }>('{ me { email } }')).me;
    expect(me?.email).toBe('owner@example.test');
    const ready = await fetch(`${second.app.url}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('two installations with different data directories run side by side', async () => {
    const otherDir = await makeDataDir();
    try {
      const other = await startEmbeddedApp(otherDir);
      running.push(other.app);
      const current = running[0];
      expect(current).toBeDefined();
      expect(other.app.url).not.toBe(current?.url);
      expect((await fetch(`${other.app.url}/readyz`)).status).toBe(200);
      expect((await fetch(`${current?.url ?? ''}/readyz`)).status).toBe(200);
      expect(other.app.services.secretBox.keyId).not.toBe(current?.services.secretBox.keyId);
      await other.app.close();
      running.pop();
    } finally {
      await rm(otherDir, { recursive: true, force: true });
    }
  });
});
