import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';

// The README's quick start, run for real from the repository root: npx → pnpm → scripts/start.mjs → server.
const ROOT = path.resolve(__dirname, '..', '..', '..');
const START = ['-y', 'pnpm@10.34.9', 'start'];
const SKIPPED = '> Dependencies and build are up to date; skipping (pass --rebuild to force)';
// The first start of a checkout installs and builds every package.
const FIRST_START_MS = 5 * 60_000;
const STOP_MS = 30_000;

const run = promisify(execFile);

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface QuickStart {
  top: ChildProcess;
  pid: number;
  exited: Promise<Exit>;
  /** Resolves when every process holding the output pipes has let go of them. */
  closed: Promise<void>;
  output(): string;
}

/** The environment a user's shell would give: no test runner's variables, no DATABASE_URL. */
function userEnv(dataDir: string): NodeJS.ProcessEnv {
  const passed = Object.entries(process.env).filter(([name]) =>
    /^(PATH|HOME|TMPDIR|https?_proxy|no_proxy|npm_config_(registry|cache|userconfig))$/i.test(name),
  );
  return {
    ...Object.fromEntries(passed),
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    ADMIN_PASSWORD: randomBytes(12).toString('base64url'),
  };
}

/** Runs the start command in a process group of its own, as a shell runs a job. */
function quickStart(dataDir: string, args: string[] = []): QuickStart {
  const top = spawn('npx', [...START, ...args], {
    cwd: ROOT,
    env: userEnv(dataDir),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (top.pid === undefined) throw new Error('npx did not start.');
  let text = '';
  top.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  top.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const exited = new Promise<Exit>((resolve) =>
    top.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const closed = Promise.all(
    [top.stdout, top.stderr].map((stream) => new Promise((resolve) => stream?.once('close', resolve))),
  ).then(() => undefined);
  return { top, pid: top.pid, exited, closed, output: () => text };
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** pid → parent pid and command line, of every process that exists and is not a zombie. */
async function processTable(): Promise<Map<number, { ppid: number; args: string }>> {
  const { stdout } = await run('ps', ['-A', '-o', 'pid=,ppid=,stat=,args=']);
  const table = new Map<number, { ppid: number; args: string }>();
  for (const line of stdout.split('\n')) {
    const found = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line);
    if (found && !found[3]?.startsWith('Z')) {
      table.set(Number(found[1]), { ppid: Number(found[2]), args: found[4] ?? '' });
    }
  }
  return table;
}

/** `pid` and every process below it. */
async function treeOf(pid: number): Promise<Map<number, string>> {
  const table = await processTable();
  const tree = new Map<number, string>([[pid, table.get(pid)?.args ?? '']]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [child, { ppid, args }] of table) {
      if (tree.has(ppid) && !tree.has(child)) {
        tree.set(child, args);
        grew = true;
      }
    }
  }
  return tree;
}

interface Running {
  url: string;
  /** Every process of the start command's tree, the embedded PostgreSQL included. */
  tree: Map<number, string>;
  postmaster: number;
}

/** Waits for the URL, checks readiness, and notes the processes while they all run. */
async function whenRunning(start: QuickStart, dataDir: string, timeoutMs: number): Promise<Running> {
  const url = await waitFor(
    'the URL',
    () => {
      if (start.top.exitCode !== null || start.top.signalCode !== null)
        throw new Error(`The start command exited early:\n${start.output()}`);
      return /is running at (http:\/\/\S+)/.exec(start.output())?.[1];
    },
    timeoutMs,
  );
  expect((await fetch(`${url}/readyz`)).status).toBe(200);
  const postmaster = Number(
    readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
  );
  const tree = await treeOf(start.pid);
  return { url, tree, postmaster };
}

async function stillRunning(pids: Iterable<number>): Promise<number[]> {
  const table = await processTable();
  return [...pids].filter((pid) => table.has(pid));
}

/** Waits until no process of the tree runs any more (zombies aside), then until the output is all read. */
async function untilStopped(start: QuickStart, running: Running): Promise<void> {
  const all = [...running.tree.keys()];
  const remaining = async () => {
    const table = await processTable();
    return all.filter((pid) => table.has(pid)).map((pid) => `${pid} ${table.get(pid)?.args ?? ''}`);
  };
  const deadline = Date.now() + STOP_MS;
  while ((await remaining()).length > 0) {
    if (Date.now() > deadline)
      throw new Error(`Still running after SIGTERM:\n${(await remaining()).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await start.closed;
}

describe('the quick start command', () => {
  let dataDir: string;
  let started: QuickStart | undefined;
  let running: Running | undefined;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'mail-providers-start-'));
    // As root the embedded PostgreSQL runs as the postgres user, which must reach its directory.
    await chmod(dataDir, 0o755);
  });
  afterEach(async () => {
    // A failed test must not leave a server behind.
    for (const pid of await stillRunning([...(running?.tree.keys() ?? []), running?.postmaster ?? 0])) {
      process.kill(pid, 'SIGKILL');
    }
    started?.top.stdout?.destroy();
    started?.top.stderr?.destroy();
    started = undefined;
    running = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'stops the whole tree cleanly when only the top process gets SIGTERM',
    async () => {
      started = quickStart(dataDir);
      running = await whenRunning(started, dataDir, FIRST_START_MS);
      const commands = [...running.tree.values()];
      expect(commands.some((args) => args.includes('scripts/start.mjs'))).toBe(true);
      expect(commands.some((args) => args.includes('dist/main.js'))).toBe(true);
      expect(running.tree.has(running.postmaster)).toBe(true);

      // The npx process alone, as `kill <pid>` or a supervisor would.
      process.kill(started.pid, 'SIGTERM');
      await untilStopped(started, running);
      // npm exec ends itself with the signal its shell died of, before the server has even begun to
      // drain: the server's own status is the start script's last line.
      expect(await started.exited).toEqual({ code: null, signal: 'SIGTERM' });
      expect(started.output()).toContain('> The server stopped (exit code 0)');
      expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
      await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
    },
    FIRST_START_MS + 2 * STOP_MS,
  );

  it('skips install and build when nothing changed, and stops once on a Ctrl-C', async () => {
    // After the first test, or any earlier start, the stamps match.
    started = quickStart(dataDir);
    running = await whenRunning(started, dataDir, 60_000);
    expect(started.output()).toContain(SKIPPED);
    expect(started.output()).not.toContain('> Building');

    // A terminal's Ctrl-C: SIGINT to every process of the job.
    process.kill(-started.pid, 'SIGINT');
    await untilStopped(started, running);
    const output = started.output();
    expect(output.match(/"msg":"signal received"/g)).toHaveLength(1);
    expect(output).not.toContain('again: exiting now');
    expect(output).toContain('> The server stopped (exit code 0)');
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  }, 90_000);

  it.each([['start'], ['start --']])(
    'hands options after `%s` on to the script',
    async (command) => {
      const start = quickStart(dataDir, [...command.split(' ').slice(1), '--no-such-option']);
      expect((await start.exited).code).toBe(2);
      expect(start.output()).toContain('Unknown option --no-such-option: the start command takes --rebuild');
    },
    60_000,
  );
});

describe('install and build stamps', () => {
  const stampsModule = pathToFileURL(path.join(ROOT, 'scripts', 'stamps.mjs')).href;
  let tree: string;

  /** Runs the stamps module in a Node process of its own (it is an ES module, as the start script is). */
  async function stamps(action: 'check' | 'record'): Promise<{ install: boolean; build: boolean }> {
    const script = `
      import { checkStamps, recordStamp } from ${JSON.stringify(stampsModule)};
      const root = process.argv[1];
      const current = await checkStamps(root);
      if (process.argv[2] === 'record') {
        await recordStamp(root, 'install', current.install.fingerprint);
        await recordStamp(root, 'build', current.build.fingerprint);
      }
      console.log(JSON.stringify({ install: current.install.upToDate, build: current.build.upToDate }));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, tree, action]);
    return JSON.parse(stdout) as { install: boolean; build: boolean };
  }

  async function put(file: string, contents: string): Promise<void> {
    await mkdir(path.dirname(path.join(tree, file)), { recursive: true });
    await writeFile(path.join(tree, file), contents);
  }

  beforeEach(async () => {
    tree = await mkdtemp(path.join(tmpdir(), 'mail-providers-stamps-'));
    const files: Record<string, string> = {
      'package.json': '{"name":"root"}',
      'pnpm-lock.yaml': 'lockfileVersion: 9.0\n',
      'pnpm-workspace.yaml': 'packages:\n  - packages/*\n',
      'tsconfig.base.json': '{}',
      'node_modules/.modules.yaml': '',
      'packages/core/package.json': '{"name":"core","scripts":{"build":"tsc"}}',
      'packages/core/tsconfig.json': '{}',
      'packages/core/src/index.ts': 'export const a = 1;\n',
      'packages/core/dist/index.js': 'exports.a = 1;\n',
      'packages/core/test/index.test.ts': '',
      'packages/docs/package.json': '{"name":"docs"}',
    };
    for (const [file, contents] of Object.entries(files)) await put(file, contents);
  });
  afterEach(() => rm(tree, { recursive: true, force: true }));

  it('finds nothing up to date before the first install and build', async () => {
    expect(await stamps('check')).toEqual({ install: false, build: false });
  });

  // Valid JSON (and YAML), so that only the fingerprint can tell the change apart.
  const change = (file: string) => () =>
    put(file, JSON.stringify({ changed: randomBytes(4).toString('hex') }));
  const remove = (file: string) => () => rm(path.join(tree, file), { recursive: true });
  const table: [string, () => Promise<void>, { install: boolean; build: boolean }][] = [
    ['no change', async () => {}, { install: true, build: true }],
    ['a built file changed', change('packages/core/dist/index.js'), { install: true, build: true }],
    ['a test changed', change('packages/core/test/index.test.ts'), { install: true, build: true }],
    ['a file in the data directory', change('packages/core/.data/key'), { install: true, build: true }],
    ['a coverage report', change('packages/core/coverage/lcov.info'), { install: true, build: true }],
    [
      'a file of an installed package',
      change('packages/core/node_modules/x/index.js'),
      { install: true, build: true },
    ],
    ['a source file changed', change('packages/core/src/index.ts'), { install: true, build: false }],
    ['a source file added', change('packages/core/src/more.ts'), { install: true, build: false }],
    ['a source file removed', remove('packages/core/src/index.ts'), { install: true, build: false }],
    ["a package's tsconfig changed", change('packages/core/tsconfig.json'), { install: true, build: false }],
    ['a root tsconfig changed', change('tsconfig.base.json'), { install: true, build: false }],
    ['the lockfile changed', change('pnpm-lock.yaml'), { install: false, build: false }],
    ['the workspace changed', change('pnpm-workspace.yaml'), { install: false, build: false }],
    ['the root package.json changed', change('package.json'), { install: false, build: false }],
    [
      "a package's package.json changed",
      change('packages/docs/package.json'),
      { install: false, build: false },
    ],
    ['a built package removed', remove('packages/core/dist'), { install: true, build: false }],
    ['node_modules removed', remove('node_modules'), { install: false, build: false }],
  ];
  it.each(table.map(([what, apply, upToDate]) => ({ what, apply, upToDate })))(
    '$what: install up to date $upToDate.install, build up to date $upToDate.build',
    async ({ apply, upToDate }) => {
      await stamps('record');
      await apply();
      expect(await stamps('check')).toEqual(upToDate);
    },
  );
});
