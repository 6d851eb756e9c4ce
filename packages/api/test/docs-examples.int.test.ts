import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSmtpTestServer, type SmtpTestServer } from '@mail-providers/mailer-core/test-support';
import { messageIdOf, FAST_QUEUE_ENV } from './durable/durable-support';
import { startTestServer, testSecret, type TestServer } from './support/test-server';

/**
 * The integrator documentation, run: the quick start's shell blocks with bash and curl, the Node.js and
 * TypeScript examples with node, against a real server delivering to a local SMTP server; and the error
 * codes of src/errors.ts against docs/errors.md. A doc that drifts from the API fails here.
 */

const REPO = path.resolve(__dirname, '..', '..', '..');
const QUICK_START = path.join(REPO, 'docs', 'graphql-quick-start.md');
const EXAMPLES = path.join(REPO, 'examples');
const STEP_END = '@@step-end@@';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end with exactly this environment (killed after `timeoutMs`). */
function run(command: string, args: string[], env: Record<string, string>, cwd: string, timeoutMs = 120_000) {
  return new Promise<Ran>((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const ran: Ran = { code: null, stdout: '', stderr: '' };
    child.stdout.on('data', (chunk: Buffer) => (ran.stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (ran.stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve(Object.assign(ran, { code }));
    });
  });
}

/** The ```sh blocks of a Markdown text, in order. */
function shellBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');
}

/** The names a settings block assigns (`NAME=value`, one a line). */
function assignedNames(block: string): string[] {
  return [...block.matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((match) => match[1] ?? '');
}

function parsed(text: string): Json {
  return JSON.parse(text) as Json;
}

function at(value: Json, ...keys: Array<string | number>): Json {
  let current: Json = value;
  for (const key of keys) {
    if (current === null || typeof current !== 'object') return null;
    current = (Array.isArray(current) ? current[Number(key)] : current[String(key)]) ?? null;
  }
  return current;
}

/** The last line of a program's output that is a JSON object. */
function lastJsonLine(output: string): Json {
  const line = output
    .trim()
    .split('\n')
    .reverse()
    .find((candidate) => candidate.startsWith('{'));
  if (!line) throw new Error(`No JSON line in:\n${output}`);
  return parsed(line);
}

describe('the integrator documentation, run against a real server', () => {
  let server: TestServer;
  let smtp: SmtpTestServer;
  let workDir: string;
  const smtpUser = 'mailer';
  const smtpPassword = testSecret('smtp');

  beforeAll(async () => {
    server = await startTestServer({ env: FAST_QUEUE_ENV });
    smtp = await startSmtpTestServer({ users: { [smtpUser]: smtpPassword } });
    workDir = await mkdtemp(path.join(tmpdir(), 'mail-providers-docs-'));
  });

  afterAll(async () => {
    await server?.close();
    await smtp?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  /** A minimal environment: nothing of this run leaks into the commands but what the doc asks for. */
  function baseEnv(): Record<string, string> {
    return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LANG: 'C.UTF-8' };
  }

  describe('docs/graphql-quick-start.md', () => {
    const QUICK_START_TO = 'quick.start@example.test';
    const settings = (): Record<string, string> => ({
      MP_URL: `${server.url}/graphql`,
      MP_EMAIL: server.adminEmail,
      MP_PASSWORD: server.adminPassword,
      MP_SMTP_HOST: smtp.host,
      MP_SMTP_PORT: String(smtp.port),
      MP_SMTP_ENCRYPTION: 'NONE',
      MP_SMTP_USERNAME: smtpUser,
      MP_SMTP_PASSWORD: smtpPassword,
      MP_FROM: 'noreply@sender.test',
      MP_TO: QUICK_START_TO,
    });

    /** What each shell block after the settings must print, in the order of the page. */
    const STEPS: Array<{
      name: string;
      block: RegExp;
      check: (output: string, seen: Map<string, Json>) => void;
    }> = [
      {
        name: 'a plain curl -d is refused as a possible CSRF with 400',
        block: /-w '\\nHTTP %\{http_code\}\\n'/,
        check: (output) => {
          const [body = '', status] = output.split('\n').filter((line) => line !== '');
          expect(status).toBe('HTTP 400');
          expect(at(parsed(body), 'errors', 0, 'extensions')).toEqual({
            code: 'BAD_USER_INPUT',
            reason: 'BAD_REQUEST',
          });
        },
      },
      {
        name: 'the same request as JSON is answered',
        block: /-H 'Content-Type: application\/json' -d '\{"query": "\{ __typename \}"\}'/,
        check: (output) => expect(parsed(output)).toEqual({ data: { __typename: 'Query' } }),
      },
      {
        name: 'login signs in with a cookie jar',
        block: /login\(email: \$email, password: \$password\)/,
        check: (output) =>
          expect(parsed(output)).toEqual({ data: { login: { email: server.adminEmail, role: 'ADMIN' } } }),
      },
      {
        name: 'createApiToken returns the token once',
        block: /createApiToken/,
        check: (output) => {
          const created = at(parsed(output), 'data', 'createApiToken');
          expect(typeof at(created, 'token')).toBe('string');
          expect(at(created, 'apiToken', 'scopes')).toEqual(['SEND', 'READ']);
        },
      },
      {
        name: 'createProvider adds an inactive provider',
        block: /createProvider/,
        check: (output, seen) => {
          const provider = at(parsed(output), 'data', 'createProvider');
          expect(provider).toMatchObject({ name: 'main relay', status: 'INACTIVE', priority: 1 });
          seen.set('provider', at(provider, 'id'));
        },
      },
      {
        name: 'verifyProvider logs in to the SMTP server',
        block: /verifyProvider/,
        check: (output) => {
          expect(at(parsed(output), 'data', 'verifyProvider')).toMatchObject({ ok: true, failure: null });
          expect(smtp.logins).toContainEqual(expect.objectContaining({ username: smtpUser, ok: true }));
        },
      },
      {
        name: 'setProviderStatus activates it',
        block: /setProviderStatus/,
        check: (output, seen) => {
          const provider = at(parsed(output), 'data', 'setProviderStatus');
          expect(provider).toMatchObject({ id: seen.get('provider'), status: 'ACTIVE' });
          expect(typeof at(provider, 'verifiedAt')).toBe('string');
        },
      },
      {
        name: 'sendEmail answers QUEUED with no Message-ID yet',
        block: /sendEmail\(input: \$input\)[\s\S]*\| tee sent\.json/,
        check: (output, seen) => {
          const sent = at(parsed(output), 'data', 'sendEmail');
          expect(sent).toMatchObject({ status: 'QUEUED', messageId: null });
          seen.set('delivery', at(sent, 'id'));
        },
      },
      {
        name: 'the same message with the same idempotency key answers the same delivery',
        block: /^curl[^|]*--data-binary @message\.json\n$/,
        check: (output, seen) => {
          expect(at(parsed(output), 'data', 'sendEmail', 'id')).toBe(seen.get('delivery'));
        },
      },
      {
        name: 'polling delivery(id) ends with SENT and the Message-ID the message carried',
        block: /delivery\(id: \$id\)/,
        check: (output, seen) => {
          const delivery = parsed(output);
          expect(delivery).toMatchObject({
            status: 'SENT',
            rounds: 1,
            deliveredByProviderName: 'main relay',
            failureReason: null,
            attempts: [{ providerName: 'main relay', outcome: 'SENT', failure: null }],
          });
          seen.set('messageId', at(delivery, 'messageId'));
        },
      },
    ];

    it('runs every shell block, in order, with the answers the page shows', async () => {
      const tools = await run('bash', ['-c', 'command -v curl && command -v jq'], baseEnv(), workDir);
      if (tools.code !== 0) throw new Error('The quick start needs curl and jq: apt-get install -y curl jq.');
      const blocks = shellBlocks(await readFile(QUICK_START, 'utf8'));
      const [settingsBlock = '', ...steps] = blocks;

      // The page's settings are exactly what the run provides, and the commands use nothing else.
      expect(assignedNames(settingsBlock).sort()).toEqual(Object.keys(settings()).sort());
      const assignedLater = new Set(steps.flatMap(assignedNames));
      const used = new Set(steps.flatMap((block) => [...block.matchAll(/\$(MP_[A-Z_]+)/g)].map((m) => m[1])));
      for (const name of used) {
        expect(name !== undefined && (name in settings() || assignedLater.has(name))).toBe(true);
      }

      expect(steps.map((block, index) => STEPS[index]?.block.test(block) ?? false)).toEqual(
        STEPS.map(() => true),
      );
      expect(steps).toHaveLength(STEPS.length);

      const script = [
        'set -euo pipefail',
        ...steps.map((block) => `${block}\nprintf '\\n%s\\n' '${STEP_END}'`),
      ];
      const ran = await run('bash', ['-c', script.join('\n')], { ...baseEnv(), ...settings() }, workDir);
      if (ran.code !== 0)
        throw new Error(`The quick start failed (${ran.code}):\n${ran.stdout}\n${ran.stderr}`);

      const outputs = ran.stdout.split(`\n${STEP_END}\n`).map((output) => output.trim());
      const seen = new Map<string, Json>();
      STEPS.forEach((step, index) => {
        try {
          step.check(outputs[index] ?? '', seen);
        } catch (error) {
          throw new Error(`Step "${step.name}" printed:\n${outputs[index]}\n${String(error)}`);
        }
      });

      // One message reached the provider, once, with the Message-ID the delivery reports.
      const received = smtp.messages.filter((message) => message.rcptTo.includes(QUICK_START_TO));
      expect(received).toHaveLength(1);
      expect(messageIdOf(received[0]?.raw ?? Buffer.alloc(0))).toBe(seen.get('messageId'));
      expect(received[0]?.authUser).toBe(smtpUser);
      // The files the page writes stay in the folder it was run in.
      expect((await readdir(workDir)).sort()).toEqual(
        ['cookies.txt', 'delivery.json', 'message.json', 'provider.json', 'sent.json', 'token.json'].sort(),
      );
    }, 180_000);
  });

  describe('examples/', () => {
    async function provider(): Promise<void> {
      const { rows } = await server.db.query<{ n: string }>(
        `SELECT count(*) AS n FROM providers WHERE status = 'active'`,
      );
      if (Number(rows[0]?.n) > 0) return;
      const admin = await server.admin();
      const created = await admin.gql<{ createProvider: { id: string } }>(
        'mutation ($input: ProviderInput!) { createProvider(input: $input) { id } }',
        {
          input: {
            type: 'SMTP',
            name: 'examples relay',
            host: smtp.host,
            port: smtp.port,
            username: smtpUser,
            password: smtpPassword,
            encryption: 'NONE',
            fromEmail: 'noreply@sender.test',
            fromName: 'Examples',
            serviceType: 'PRIMARY',
            status: 'ACTIVE',
          },
        },
      );
      expect(created.body.errors).toBeUndefined();
    }

    it('node-client.mjs signs in, sends with an idempotency key and polls until SENT', async () => {
      await provider();
      const to = 'node.example@example.test';
      const ran = await run(
        process.execPath,
        [path.join(EXAMPLES, 'node-client.mjs')],
        {
          ...baseEnv(),
          MP_URL: `${server.url}/graphql`,
          MP_EMAIL: server.adminEmail,
          MP_PASSWORD: server.adminPassword,
          MP_TO: to,
        },
        workDir,
      );
      if (ran.code !== 0)
        throw new Error(`node-client.mjs failed (${ran.code}):\n${ran.stdout}\n${ran.stderr}`);
      expect(ran.stdout).toContain(`signed in as ${server.adminEmail}`);
      const delivery = lastJsonLine(ran.stdout);
      expect(delivery).toMatchObject({ status: 'SENT' });
      const received = smtp.messages.filter((message) => message.rcptTo.includes(to));
      expect(received).toHaveLength(1);
      expect(messageIdOf(received[0]?.raw ?? Buffer.alloc(0))).toBe(at(delivery, 'messageId'));
    });

    it('typescript-client.mts type-checks strictly, then sends with a token and polls until SENT', async () => {
      await provider();
      const outDir = await mkdtemp(path.join(tmpdir(), 'mail-providers-example-'));
      try {
        const tsc = require.resolve('typescript/bin/tsc');
        const compiled = await run(
          process.execPath,
          [tsc, '-p', EXAMPLES, '--noEmit', 'false', '--outDir', outDir],
          baseEnv(),
          REPO,
        );
        if (compiled.code !== 0) throw new Error(`tsc failed:\n${compiled.stdout}\n${compiled.stderr}`);

        const sender = await server.tokenAgent(['SEND', 'READ']);
        const to = 'ts.example@example.test';
        const ran = await run(
          process.execPath,
          [path.join(outDir, 'typescript-client.mjs')],
          { ...baseEnv(), MP_URL: `${server.url}/graphql`, MP_TOKEN: sender.token, MP_TO: to },
          workDir,
        );
        if (ran.code !== 0) {
          throw new Error(`typescript-client failed (${ran.code}):\n${ran.stdout}\n${ran.stderr}`);
        }
        const delivery = lastJsonLine(ran.stdout);
        expect(delivery).toMatchObject({ status: 'SENT', attempts: [{ outcome: 'SENT' }] });
        const received = smtp.messages.filter((message) => message.rcptTo.includes(to));
        expect(received).toHaveLength(1);
        expect(messageIdOf(received[0]?.raw ?? Buffer.alloc(0))).toBe(at(delivery, 'messageId'));
      } finally {
        await rm(outDir, { recursive: true, force: true });
      }
    });
  });
});

describe('docs/errors.md', () => {
  it('names every code and reason of src/errors.ts and of the rejected requests', async () => {
    const source = await readFile(path.join(__dirname, '..', 'src', 'errors.ts'), 'utf8');
    const union = /export type ErrorCode =([\s\S]*?);/.exec(source)?.[1] ?? '';
    const clientCodes = /const CLIENT_ERROR_CODES = new Set\(\[([\s\S]*?)\]\)/.exec(source)?.[1] ?? '';
    const codes = [...`${union}${clientCodes}`.matchAll(/'([A-Z_]+)'/g)].map((match) => match[1] ?? '');

    // The reasons given with QueryRejectedError anywhere in the server.
    const sources = await readdir(path.join(__dirname, '..', 'src'), { recursive: true });
    for (const file of sources.filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))) {
      const text = await readFile(path.join(__dirname, '..', 'src', file), 'utf8');
      for (const match of text.matchAll(/new QueryRejectedError\([\s\S]*?'([A-Z_]+)',?\s*\)/g)) {
        codes.push(match[1] ?? '');
      }
    }

    expect(codes).toEqual(
      expect.arrayContaining(['UNAUTHENTICATED', 'GRAPHQL_VALIDATION_FAILED', 'NUL_CHARACTER']),
    );
    const doc = await readFile(path.join(REPO, 'docs', 'errors.md'), 'utf8');
    expect(codes.filter((code) => !doc.includes(`\`${code}\``))).toEqual([]);
  });
});
