import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

// The package as another project gets it: packed (prepack builds it), installed from the tarball into a
// scratch npm project outside the workspace, so nothing resolves through the workspace's node_modules.

const PACKAGE_ROOT = resolve(__dirname, '..');
const WORKSPACE_ROOT = resolve(PACKAGE_ROOT, '../..');
const NAME = '@mail-providers/mailer-core';
/** Written into dist before packing: a clean build leaves it out of the tarball. */
const LEFTOVER = 'dist/left-over-from-an-old-build.js';
/** The scratch project's own compiler, never the workspace's. */
const TSC = 'node_modules/typescript/bin/tsc';

jest.setTimeout(180_000);

/** The environment without what pnpm hands its scripts (npm_config_*, NODE_PATH …), which would steer npm and Node. */
function plainEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(npm_|pnpm_|node_path$|node_options$)/i.test(key)),
  );
}

interface Finished {
  ok: boolean;
  stdout: string;
  /** The command, where it ran, and everything it printed: what a failed assertion should show. */
  report: string;
}

function run(command: string, args: string[], cwd: string): Promise<Finished> {
  return new Promise((done) => {
    execFile(
      command,
      args,
      { cwd, env: plainEnvironment(), timeout: 150_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        done({ ok: !error, stdout, report: `${command} ${args.join(' ')} in ${cwd}:\n${stdout}\n${stderr}` }),
    );
  });
}

async function succeed(command: string, args: string[], cwd: string): Promise<string> {
  const finished = await run(command, args, cwd);
  if (!finished.ok) throw new Error(`Failed: ${finished.report}`);
  return finished.stdout;
}

/** The first TypeScript block after a README heading, as written. */
function tsBlockUnder(readme: string, heading: string): string {
  const block = new RegExp(`^${heading}\\n[\\s\\S]*?^\`\`\`ts\\n([\\s\\S]*?)^\`\`\`$`, 'm').exec(readme);
  if (!block?.[1]) throw new Error(`README has no ts block under "${heading}".`);
  return block[1];
}

/**
 * A consumer written once and saved as .mts and .cts: tsc type-checks both strictly and emits a plain ES
 * module (`import … from`) and a CommonJS script (`require`). It sends through two SMTP providers of its
 * own, from the package's test-support: the first refuses every connection with 421, the second accepts.
 */
const CONSUMER = `import { createMailer, type ProviderConfig, type SendResult } from '${NAME}';
import { isLoopbackHost, providerRuleIssues } from '${NAME}/rules';
import { SMTP_REPLIES, startSmtpTestServer, type SmtpTestServer } from '${NAME}/test-support';

function smtpProvider(id: string, priority: number, server: SmtpTestServer): ProviderConfig {
  return {
    id,
    type: 'smtp',
    name: id,
    host: server.host,
    port: server.port,
    // A relay with no login: the test servers offer no AUTH.
    username: '',
    password: '',
    encryption: 'none',
    fromEmail: 'noreply@consumer.test',
    fromName: 'Consumer',
    serviceType: 'primary',
    status: 'active',
    priority,
  };
}

async function main(): Promise<void> {
  const refusing = await startSmtpTestServer({ script: { connect: SMTP_REPLIES.connectUnavailable } });
  const accepting = await startSmtpTestServer();
  const mailer = createMailer({
    providers: [smtpProvider('refusing', 1, refusing), smtpProvider('accepting', 2, accepting)],
  });
  try {
    const result: SendResult = await mailer.send({
      to: ['Ann <ann@example.org>'],
      subject: 'Hello',
      text: 'Sent by a project that installed the package.',
    });
    const attempts = result.attempts.map((attempt) => ({
      providerId: attempt.providerId,
      outcome: attempt.outcome,
      category: attempt.failure?.category ?? null,
    }));
    const received = accepting.messages.map((message) => message.rcptTo);
    const rules = {
      loopback: isLoopbackHost(accepting.host),
      issues: providerRuleIssues({ host: 'https://smtp.example.com', port: 0 }).map((issue) => issue.code),
    };
    console.log(JSON.stringify({ ok: result.ok, deliveredBy: result.deliveredBy, attempts, received, rules }));
  } finally {
    await mailer.close();
    await Promise.all([refusing.close(), accepting.close()]);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
`;

/** Strict as a careful consumer sets it, and without skipLibCheck, so the package's declarations are checked too. */
const STRICT = {
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  skipLibCheck: false,
  target: 'ES2022',
  types: ['node'],
};

/** The parts of the packed package.json that say what its code may load. */
interface Manifest {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

let packDir: string;
let scratch: string;
let tarballEntries: string[];
/** tsc over the consumer and the README example; it emits the programs even when types fail, so running them is judged apart. */
let compiled: Finished;

beforeAll(async () => {
  packDir = await mkdtemp(join(tmpdir(), 'mailer-core-pack-'));
  scratch = await mkdtemp(join(tmpdir(), 'mailer-core-consumer-'));
  if (!relative(WORKSPACE_ROOT, scratch).startsWith('..')) {
    throw new Error(`The scratch project must lie outside the workspace; ${scratch} does not.`);
  }

  await mkdir(join(PACKAGE_ROOT, 'dist'), { recursive: true });
  await writeFile(join(PACKAGE_ROOT, LEFTOVER), 'module.exports = {};\n');
  await succeed('npx', ['-y', 'pnpm@10.34.9', 'pack', '--pack-destination', packDir], PACKAGE_ROOT);
  const tarball = join(packDir, 'mail-providers-mailer-core-0.1.0.tgz');
  tarballEntries = (await succeed('tar', ['-tzf', tarball], packDir)).split('\n').filter(Boolean);

  await writeFile(join(scratch, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  await succeed(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--no-package-lock',
      tarball,
      'typescript@5.9',
      '@types/node@20',
      'smtp-server',
      'selfsigned',
    ],
    scratch,
  );

  const readme = await readFile(join(PACKAGE_ROOT, 'README.md'), 'utf8');
  await writeFile(join(scratch, 'consumer.mts'), CONSUMER);
  await writeFile(join(scratch, 'consumer.cts'), CONSUMER);
  await writeFile(join(scratch, 'readme-use-it.mts'), tsBlockUnder(readme, '## Use it'));
  await writeFile(
    join(scratch, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { ...STRICT, module: 'node16', moduleResolution: 'node16' },
      files: ['consumer.mts', 'consumer.cts', 'readme-use-it.mts'],
    }),
  );
  compiled = await run('node', [join(scratch, TSC), '-p', 'tsconfig.json'], scratch);
});

afterAll(async () => {
  await rm(join(PACKAGE_ROOT, LEFTOVER), { force: true });
  await Promise.all([packDir, scratch].map((dir) => dir && rm(dir, { recursive: true, force: true })));
});

describe('the packed package', () => {
  it('holds the freshly built code and declarations, the README and the licence, and nothing else', () => {
    const files = tarballEntries.map((entry) => entry.replace(/^package\//, ''));
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/index.js',
        'dist/index.d.ts',
        'dist/test-support/index.js',
        'dist/test-support/index.d.ts',
        'dist/rules/index.js',
        'dist/rules/index.d.ts',
      ]),
    );
    expect(files.filter((file) => !file.startsWith('dist/')).sort()).toEqual([
      'LICENSE',
      'README.md',
      'package.json',
    ]);
    // Every module has its source: prepack built dist afresh, so nothing left from an older build ships.
    const sourceOf = (file: string): string =>
      join(PACKAGE_ROOT, file.replace(/^dist\//, 'src/').replace(/\.(d\.ts|js)$/, '.ts'));
    expect(files.filter((file) => file.startsWith('dist/') && !existsSync(sourceOf(file)))).toEqual([]);
  });

  it('declares every package its code loads: the engine its dependencies, test-support optional peers too', async () => {
    const installed = join(scratch, 'node_modules', NAME);
    const manifest: Manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8'));
    const dependencies = Object.keys(manifest.dependencies ?? {});
    const peers = Object.keys(manifest.peerDependencies ?? {});
    const undeclared: string[] = [];
    for (const file of tarballEntries.filter((entry) => entry.endsWith('.js'))) {
      const code = await readFile(join(installed, file.replace(/^package\//, '')), 'utf8');
      const allowed = file.includes('/test-support/') ? [...dependencies, ...peers] : dependencies;
      for (const [, specifier = ''] of code.matchAll(/\brequire\("([^".][^"]*)"\)/g)) {
        if (isBuiltin(specifier)) continue;
        const name = specifier
          .split('/')
          .slice(0, specifier.startsWith('@') ? 2 : 1)
          .join('/');
        if (!allowed.includes(name)) undeclared.push(`${file}: ${name}`);
      }
    }
    expect(undeclared).toEqual([]);
    expect(peers.filter((peer) => manifest.peerDependenciesMeta?.[peer]?.optional !== true)).toEqual([]);
  });

  it('type-checks in a strict TypeScript project with Node16 resolution, the README example included', async () => {
    expect(compiled.ok ? 'no type errors' : compiled.report).toBe('no type errors');
    expect(await readFile(join(scratch, 'consumer.mjs'), 'utf8')).toContain(`from '${NAME}'`);
    expect(await readFile(join(scratch, 'consumer.cjs'), 'utf8')).toContain(`require("${NAME}")`);
  });

  it.each([
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }],
    ['the older node10', { module: 'commonjs', moduleResolution: 'node10' }],
  ])('type-checks, test-support and rules included, under %s resolution', async (_label, resolution) => {
    const name = resolution.moduleResolution;
    await writeFile(join(scratch, `consumer-${name}.ts`), CONSUMER);
    await writeFile(
      join(scratch, `tsconfig.${name}.json`),
      JSON.stringify({
        compilerOptions: { ...STRICT, ...resolution, noEmit: true },
        files: [`consumer-${name}.ts`],
      }),
    );
    const checked = await run('node', [join(scratch, TSC), '-p', `tsconfig.${name}.json`], scratch);
    expect(checked.ok ? 'no type errors' : checked.report).toBe('no type errors');
  });

  it.each(['consumer.mjs', 'consumer.cjs'])(
    'sends from %s through the fallback: the refusing provider first, then the accepting one',
    async (program) => {
      const output = await succeed('node', [program], scratch);
      expect(JSON.parse(output)).toEqual({
        ok: true,
        deliveredBy: 'accepting',
        attempts: [
          { providerId: 'refusing', outcome: 'FAILED', category: 'PROVIDER_UNAVAILABLE' },
          { providerId: 'accepting', outcome: 'SENT', category: null },
        ],
        received: [['ann@example.org']],
        rules: { loopback: true, issues: ['hostScheme', 'portInvalid'] },
      });
    },
  );
});
