import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import {
  DeliveryWorkerThread,
  type WorkerThreadOptions,
} from '../../src/worker-thread/delivery-worker-thread';

const FIXTURE = path.join(__dirname, 'fixtures', 'scripted-worker-thread.mjs');
/** The fixture's one metric says which start of the thread answered. */
const life = (value: number) => [
  expect.objectContaining({ name: 'fixture_life', values: [{ value, labels: {} }] }),
];

describe('the delivery worker thread', () => {
  let scratchDir: string;
  let logs: string[];

  beforeEach(async () => {
    scratchDir = await mkdtemp(path.join(tmpdir(), 'worker-thread-'));
    logs = [];
  });
  afterEach(() => rm(scratchDir, { recursive: true, force: true }));

  const start = (behaviour: string, options: WorkerThreadOptions = {}) => {
    const config = loadConfig({ LOG_LEVEL: 'warn' });
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        logs.push(chunk.toString('utf8'));
        callback();
      },
    });
    const databaseUrl = `${behaviour}:${path.join(scratchDir, 'scratch')}`;
    return DeliveryWorkerThread.start(
      FIXTURE,
      { config, databaseUrl },
      createLogger(config, destination),
      options,
    );
  };

  const eventually = async (check: () => Promise<boolean>) => {
    for (let tries = 0; !(await check()); tries++) {
      if (tries > 100) throw new Error('the thread never got there');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('serves the thread’s metrics, and stops it when asked', async () => {
    const thread = await start('well-behaved');
    expect(await thread.metrics()).toEqual(life(1));
    await thread.close();
    expect(logs.join('')).not.toContain('did not stop in time');
  });

  it('fails to start with the thread’s reason', async () => {
    await expect(start('fails-start')).rejects.toThrow(
      'The delivery worker thread could not start: the database refused the connection',
    );
  });

  it('starts a thread that died again, serving the last metrics while it is down', async () => {
    let restarts = 0;
    const thread = await start('crashes-once', {
      timings: { restartMinMs: 1000 },
      onRestart: () => restarts++,
    });
    try {
      expect(await thread.metrics()).toEqual(life(1));
      expect(thread.running).toBe(true);
      await eventually(async () =>
        logs.join('').includes('the delivery worker thread stopped; restarting it'),
      );
      expect(thread.running).toBe(false);
      expect(await thread.metrics()).toEqual(life(1));
      expect(restarts).toBe(0);
      await eventually(async () => (await thread.metrics())[0]?.values[0]?.value === 2);
      expect(restarts).toBe(1);
      expect(thread.running).toBe(true);
    } finally {
      await thread.close();
    }
  });

  it('stops a thread that falls silent (its event loop blocked) and starts it again', async () => {
    let restarts = 0;
    const thread = await start('hangs-once', {
      onRestart: () => restarts++,
      timings: { heartbeatMs: 50, hangMs: 400, restartMinMs: 50 },
    });
    await eventually(async () => restarts === 1 && thread.running);
    expect(await thread.metrics()).toEqual(life(2));
    expect(logs.join('')).toContain('the delivery worker thread stopped answering');
    await thread.close();
  });

  it('leaves a thread that says it is alive running', async () => {
    let restarts = 0;
    const thread = await start('well-behaved', {
      onRestart: () => restarts++,
      timings: { heartbeatMs: 50, hangMs: 400 },
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(restarts).toBe(0);
    expect(await thread.metrics()).toEqual(life(1));
    await thread.close();
  });

  it('starts nothing again once stopped while it waits to restart', async () => {
    const thread = await start('crashes-once', { timings: { restartMinMs: 300 } });
    expect(await thread.metrics()).toEqual(life(1));
    await eventually(async () => logs.join('').includes('restarting it'));
    await thread.close();
    await new Promise((resolve) => setTimeout(resolve, 600));
    // A thread started after the stop would answer as the second life.
    expect(await thread.metrics()).toEqual(life(1));
  });

  it('stops a thread that does not finish in time outright', async () => {
    const thread = await start('ignores-close', { timings: { closeMs: 200 } });
    await thread.close();
    expect(logs.join('')).toContain('the delivery worker thread did not stop in time');
  });
});
