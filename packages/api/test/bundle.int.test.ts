import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, readlink, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSmtpTestServer, type SmtpTestServer } from '@mail-providers/mailer-core/test-support';
import { dataOf, TestAgent } from './support/test-agent';

/**
 * The production bundle as an operator gets it: made by the bundle command outside the workspace, then
 * started from yet another folder with nothing but Node.js, the way the Dockerfile and the systemd unit
 * start it (`node <bundle>/main.js`, NODE_ENV=production). It reaches the server over HTTP only and loads
 * none of the server's sources.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const BUNDLE_COMMAND = path.join(ROOT, 'scripts', 'bundle.mjs');
/** Build and test tools of the workspace: none may be in the bundle. */
const DEV_ONLY = ['typescript', 'jest', 'ts-jest', '@types/jest', 'fast-check', 'vite', 'vue-tsc', 'eslint'];

interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
}

function collect(child: ChildProcess): { output: () => string; exited: Promise<Exited> } {
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const exited = new Promise<Exited>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return { output: () => text, exited };
}

const secret = (prefix: string): string => `${prefix}-${randomBytes(8).toString('hex')}`;

/** Polls `check` until it returns a value; its last error, or a timeout, fails the test. */
async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Which of `names` Node itself resolves from `file` (jest resolves modules its own way). */
function resolvableFrom(file: string, names: string[]): string[] {
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `const from = require('node:module').createRequire(process.argv[1]);
       const found = process.argv.slice(2).filter((name) => { try { return !!from.resolve(name); } catch { return false; } });
       console.log(JSON.stringify(found));`,
      file,
      ...names,
    ],
    { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } },
  );
  if (probe.status !== 0) throw new Error(`node -e failed: ${probe.stderr}`);
  return JSON.parse(probe.stdout) as string[];
}

/** Executables of running processes that live under `dir` (Linux: read from /proc). */
async function programsRunningFrom(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const exe = await readlink(`/proc/${pid}/exe`).catch(() => '');
    if (exe.startsWith(`${dir}${path.sep}`)) found.push(exe);
  }
  return found;
}

describe('the production bundle', () => {
  let work: string;
  let bundle: string;
  let smtp: SmtpTestServer | undefined;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    // Enterable by others: run as root, the embedded PostgreSQL runs as its own account from the bundle.
    work = await realpath(await mkdtemp(path.join(tmpdir(), 'mail-providers-bundle-')));
    await chmod(work, 0o755);
    bundle = path.join(work, 'bundle');
    const started = Date.now();
    // What the workspace's test command built beforehand is bundled as it is.
    const child = spawn(process.execPath, [BUNDLE_COMMAND, bundle, '--no-build'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const { output, exited } = collect(child);
    const { code, signal } = await exited;
    if (code !== 0) throw new Error(`The bundle command failed (${code ?? signal}):\n${output()}`);
    timings.bundleMs = Date.now() - started;
  }, 240_000);

  afterAll(async () => {
    await smtp?.close();
    if (work) await rm(work, { recursive: true, force: true });
    if (Object.keys(timings).length > 0) console.log(`bundle timings (ms): ${JSON.stringify(timings)}`);
  });

  it('holds production dependencies only, the engine built inside it, nothing reached outside it', async () => {
    const installed = await readdir(path.join(bundle, 'node_modules', '.pnpm'));
    const copies = DEV_ONLY.flatMap((name) =>
      installed.filter((entry) => entry.startsWith(`${name.replace('/', '+')}@`)),
    );
    expect(copies).toEqual([]);
    // What the server's code can load: its dependencies, none of the tools.
    const loadable = resolvableFrom(path.join(bundle, 'dist', 'main.js'), [
      ...DEV_ONLY,
      'pg',
      '@mail-providers/mailer-core',
    ]);
    expect(loadable).toEqual(['pg', '@mail-providers/mailer-core']);
    const engine = await realpath(path.join(bundle, 'node_modules', '@mail-providers', 'mailer-core'));
    expect(engine.startsWith(`${bundle}${path.sep}`)).toBe(true);
    expect(existsSync(path.join(engine, 'dist', 'index.js'))).toBe(true);
    expect(existsSync(path.join(engine, 'src'))).toBe(false);
    // Nothing of the workspace's sources or tests: the API as built, the panel as built.
    expect((await readdir(bundle)).sort()).toEqual(
      [
        '.mail-providers-bundle',
        'README.md',
        'admin',
        'dist',
        'main.js',
        'node_modules',
        'package.json',
      ].sort(),
    );
    const manifest = JSON.parse(await readFile(path.join(bundle, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(manifest.devDependencies).toBeUndefined();
    expect(JSON.stringify(manifest.dependencies)).not.toContain('workspace:');
  });

  it('starts from another folder with only Node.js, delivers a message, serves the panel and stops cleanly', async () => {
    const runDir = path.join(work, 'elsewhere');
    // DATA_DIR is relative to where the bundle is started; made beforehand so others may enter it (root).
    await mkdir(path.join(runDir, 'data'), { recursive: true, mode: 0o755 });
    await chmod(path.join(runDir, 'data'), 0o755);
    const adminEmail = 'operator@example.test';
    const adminPassword = secret('admin');
    const smtpPassword = secret('smtp');
    smtp = await startSmtpTestServer({ users: { app: smtpPassword } });

    const started = Date.now();
    const child = spawn(process.execPath, [path.join(bundle, 'main.js')], {
      cwd: runDir,
      env: {
        // Node's own folder and the system's: no pnpm, npx or workspace binary can be reached.
        PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`,
        HOME: runDir,
        NODE_ENV: 'production',
        PORT: '0',
        DATA_DIR: 'data',
        ADMIN_EMAIL: adminEmail,
        ADMIN_PASSWORD: adminPassword,
        ALLOWED_PROVIDER_HOSTS: '127.0.0.1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const { output, exited } = collect(child);
    try {
      const url = await eventually(
        'the bundle to say where it runs',
        async () => {
          if (child.exitCode !== null) throw new Error(`The bundle exited (${child.exitCode}):\n${output()}`);
          return /is running at (http:\/\/\S+)/.exec(output())?.[1];
        },
        90_000,
      );
      timings.startToReadyMs = Date.now() - started;
      const ready = Date.now();
      expect(output()).toContain(`Data: ${path.join(runDir, 'data')} (database files in`);
      // Its own PostgreSQL, not one of the workspace's.
      const programs = await programsRunningFrom(bundle);
      expect(programs.some((program) => path.basename(program) === 'postgres')).toBe(true);

      const admin = new TestAgent(url);
      dataOf(await admin.login(adminEmail, adminPassword));
      dataOf(
        await admin.gql(`mutation ($input: ProviderInput!) { createProvider(input: $input) { id } }`, {
          input: {
            type: 'SMTP',
            name: 'sink',
            host: smtp.host,
            port: smtp.port,
            username: 'app',
            password: smtpPassword,
            encryption: 'NONE',
            fromEmail: 'noreply@sender.test',
            fromName: 'Sender',
            serviceType: 'PRIMARY',
            status: 'ACTIVE',
          },
        }),
      );
      const sent = dataOf(
        await admin.gql<{ sendEmail: { id: string } }>(
          `mutation ($input: EmailInput!) { sendEmail(input: $input) { id } }`,
          { input: { to: ['ann@example.com'], subject: 'From the bundle', text: 'Hello from the bundle' } },
        ),
      );
      const delivered = await eventually(
        'the message to be delivered',
        async () => {
          const { delivery } = dataOf(
            await admin.gql<{ delivery: { status: string; failureReason: string | null } }>(
              `query ($id: ID!) { delivery(id: $id) { status failureReason } }`,
              { id: sent.sendEmail.id },
            ),
          );
          if (delivery.status === 'FAILED') throw new Error(`The delivery failed: ${delivery.failureReason}`);
          return delivery.status === 'SENT' && smtp?.messages.length === 1 ? delivery : undefined;
        },
        30_000,
      );
      timings.readyToDeliveredMs = Date.now() - ready;
      expect(delivered.status).toBe('SENT');
      expect(smtp.messages[0]?.raw.toString('utf8')).toContain('Subject: From the bundle');

      const page = await fetch(new URL('/', url));
      expect(page.status).toBe(200);
      expect(await page.text()).toBe(await readFile(path.join(bundle, 'admin', 'index.html'), 'utf8'));
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    }
    const ended = await exited;
    expect({
      ...ended,
      errors: output()
        .split('\n')
        .filter((line) => /"level":(50|60)/.test(line)),
    }).toEqual({
      code: 0,
      signal: null,
      errors: [],
    });
    expect(await programsRunningFrom(bundle)).toEqual([]);
  }, 180_000);
});
