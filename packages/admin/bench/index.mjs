// Figures for the panel: the initial JavaScript of the build (gzipped), and how fast the first screens
// render in headless Chromium against the built API on loopback. Prints figures only.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, readdirSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { clearTimeout, setTimeout } from 'node:timers';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.resolve(HERE, '..', 'dist');
const API_MAIN = path.resolve(HERE, '..', '..', 'api', 'dist', 'main.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function kb(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The scripts index.html loads before anything else: its module entry and the chunks it preloads. */
function initialScripts(html) {
  const files = new Set();
  for (const match of html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g)) files.add(match[1]);
  for (const match of html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)) files.add(match[1]);
  return [...files].map((file) => path.join(DIST, file.replace(/^\//, '')));
}

function bundleFigures() {
  const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const initial = initialScripts(html);
  const gz = (file) => gzipSync(readFileSync(file)).length;
  const initialGz = initial.reduce((sum, file) => sum + gz(file), 0);
  const initialRaw = initial.reduce((sum, file) => sum + statSync(file).size, 0);
  const assets = path.join(DIST, 'assets');
  const lazy = readdirSync(assets)
    .filter((name) => name.endsWith('.js'))
    .map((name) => path.join(assets, name))
    .filter((file) => !initial.includes(file));
  const lazyGz = lazy.reduce((sum, file) => sum + gz(file), 0);
  const css = readdirSync(assets).filter((name) => name.endsWith('.css'));
  const cssGz = css.reduce((sum, name) => sum + gz(path.join(assets, name)), 0);
  console.log('bundle');
  console.log(
    `  initial JS, gzipped:        ${kb(initialGz)} (${kb(initialRaw)} raw, ${initial.length} file(s); goal ≤ 160 KB)`,
  );
  console.log(
    `  lazy JS chunks, gzipped:    ${kb(lazyGz)} (${lazy.length} chunks, each loaded when its screen opens)`,
  );
  console.log(`  CSS, gzipped:               ${kb(cssGz)}`);
}

async function startApi() {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'mail-providers-bench-'));
  // When run as root, the embedded PostgreSQL runs as another user, which must be able to reach the directory.
  await chmod(dataDir, 0o711);
  const password = 'bench-' + randomBytes(12).toString('hex');
  const child = spawn(process.execPath, [API_MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dataDir,
      PORT: '0',
      DATA_DIR: dataDir,
      ADMIN_EMAIL: 'bench@example.com',
      ADMIN_PASSWORD: password,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, 20_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the API did not start:\n${output}`)), 120_000);
    child.stdout.on('data', () => {
      const match = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the API exited (${code}):\n${output}`));
    });
  }).catch(async (error) => {
    await stop();
    throw error;
  });
  return { url, email: 'bench@example.com', password, stop };
}

/** Milliseconds from navigation start to first contentful paint, and to the moment `selector` shows. */
async function measure(page, url, selector) {
  const started = Date.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForSelector(selector, { state: 'visible' });
  const wall = Date.now() - started;
  const fcp = await page.evaluate(() => {
    // Runs in the page.
    const entry = globalThis.performance.getEntriesByName('first-contentful-paint')[0];
    return entry ? entry.startTime : NaN;
  });
  return { wall, fcp };
}

async function renderFigures() {
  if (!existsSync(API_MAIN)) {
    console.log('render: skipped, the API is not built (run `npx -y pnpm@10.34.9 build` at the root)');
    return;
  }
  if (!existsSync(CHROMIUM)) {
    console.log(`render: skipped, Chromium not found at ${CHROMIUM} (set CHROMIUM_PATH)`);
    return;
  }
  const api = await startApi();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const login = { wall: [], fcp: [] };
    const providers = { wall: [], fcp: [] };
    // One warm-up of each, so the figures are the steady state (the API's first query pays for its JIT).
    for (let run = 0; run <= RUNS; run += 1) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
      const page = await context.newPage();
      const first = await measure(page, `${api.url}/login`, '#login-email');
      await page.fill('#login-email', api.email);
      await page.fill('#login-password', api.password);
      await Promise.all([page.waitForURL(/mail-providers/), page.click('button[type="submit"]')]);
      // A full page load of the providers screen with a session and the assets cached by the sign-in:
      // session check, the two queries, render.
      const second = await measure(page, `${api.url}/security/mail-providers`, '.empty, .provider-table');
      if (run > 0) {
        login.wall.push(first.wall);
        login.fcp.push(first.fcp);
        providers.wall.push(second.wall);
        providers.fcp.push(second.fcp);
      }
      await context.close();
    }
    console.log(
      `first render, headless Chromium on loopback (median of ${RUNS} runs, fresh browser context each)`,
    );
    console.log(
      `  sign-in page, empty cache:          first contentful paint ${median(login.fcp).toFixed(0)} ms, form visible after ${median(login.wall).toFixed(0)} ms`,
    );
    console.log(
      `  Mail Providers, signed in, cached:  first contentful paint ${median(providers.fcp).toFixed(0)} ms, list rendered after ${median(providers.wall).toFixed(0)} ms`,
    );
  } finally {
    await browser.close();
    await api.stop();
  }
}

if (!existsSync(path.join(DIST, 'index.html'))) {
  console.error('No build found: run `npx -y pnpm@10.34.9 build` in packages/admin (or at the root) first.');
  process.exit(1);
}
bundleFigures();
await renderFigures();
