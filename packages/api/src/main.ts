import 'reflect-metadata';
import path from 'node:path';
import { adminPasswordIgnoredWarning } from './auth/user.service';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { createApp } from './server';

/** Starts the server from the environment; prints where it listens and how to sign in. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config);
  // MODE=all: the delivery worker gets a thread (an event loop, a core) of its own.
  const workerThreadEntry = path.join(__dirname, 'worker-thread', 'worker-thread-main.js');
  const starting = createApp(config, { logger, workerThreadEntry });

  // Handlers go in before the server is up, so a signal during start still stops PostgreSQL cleanly.
  // A launcher (pnpm, a shell) may pass one Ctrl-C on next to the terminal's own: a second signal
  // within a second is that echo, later ones mean "stop now".
  let stoppingSince: number | undefined;
  const stop = (signal: NodeJS.Signals) => {
    if (stoppingSince !== undefined) {
      if (Date.now() - stoppingSince < 1000) return;
      process.stderr.write(`${signal} again: exiting now\n`);
      process.exit(1);
    }
    stoppingSince = Date.now();
    logger.info({ signal }, 'signal received');
    starting
      .then((app) => app.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ error: error instanceof Error ? error.message : String(error) }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  let app;
  try {
    app = await starting;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.fatal({ error: message }, 'could not start');
    process.stderr.write(`\nMail Providers could not start:\n${message}\n`);
    process.exit(error instanceof ConfigError ? 2 : 1);
  }
  if (stoppingSince !== undefined) return;

  const lines =
    config.mode === 'worker'
      ? [
          '',
          `Mail Providers worker is running at ${app.url}`,
          `  Health: ${app.url}/healthz, ${app.url}/readyz  Metrics: ${app.url}/metrics`,
        ]
      : ['', `Mail Providers is running at ${app.url}`, `  GraphQL: ${app.url}/graphql`];
  lines.push(
    app.databaseFiles
      ? `  Data: ${config.dataDir} (database files in ${app.databaseFiles})`
      : '  Data: the PostgreSQL of DATABASE_URL',
  );
  if (app.firstAdmin.generatedPassword) {
    // Whichever process created the account shows the password: no other ever can.
    lines.push(
      `  Sign in as ${app.firstAdmin.email} with the password ${app.firstAdmin.generatedPassword}`,
      '  (generated now and shown only this once: keep it somewhere safe)',
    );
  } else if (config.mode !== 'worker') {
    lines.push(
      app.firstAdmin.created
        ? `  Sign in as ${app.firstAdmin.email} with the password from ADMIN_PASSWORD`
        : `  Sign in with an existing account (first administrator: ${app.firstAdmin.email})`,
    );
    const ignored = adminPasswordIgnoredWarning(app.firstAdmin);
    if (ignored) lines.push(`  ${ignored}`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
