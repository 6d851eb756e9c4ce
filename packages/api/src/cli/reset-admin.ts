import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { Registry } from 'prom-client';
import { passwordProblem, UserService, type AdminPasswordReset } from '../auth/user.service';
import { loadConfig, type AppConfig } from '../config';
import { createDataSource, migrateAndBootstrap } from '../database/datasource';
import { createLogger, type Logger } from '../logger';
import { loadSecretKeys } from '../secrets/secret-keys';
import { ServiceContainer } from '../service-container';
import { openInstallationDatabase } from './installation-database';

const USAGE = `Usage: reset-admin --email <address> [--password <password>]

Sets a new password for an administrator, ends all their sessions and clears their failed logins.
Without --password a strong password is generated and printed once (a password given on the command
line can be seen by other users of this machine while the command runs).

Reads the server's environment: DATABASE_URL, or the embedded database in DATA_DIR (stop the server
first), and MAILER_SECRET_KEY.

Exit codes: 0 done, 1 failed (nothing changed), 2 bad arguments.`;

interface ResetArguments {
  email: string;
  password?: string;
}

class UsageError extends Error {}

/** The command's arguments; `--` first (as pnpm passes it on) is skipped. */
function parseArguments(argv: string[]): ResetArguments | 'help' {
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        email: { type: 'string' },
        password: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.endsWith('.') ? message : `${message}.`);
  }
  if (values.help) return 'help';
  const email = values.email?.trim();
  if (!email) throw new UsageError('Give the administrator with --email <address>.');
  if (values.password === undefined) return { email };
  const problem = passwordProblem(values.password);
  if (problem) throw new UsageError(`--password: ${problem}`);
  return { email, password: values.password };
}

/**
 * Opens the installation's database, migrates it if needed, and resets the password. Once the reset has
 * committed, a failure to close only warns: the outcome (a generated password) must still be shown.
 */
async function resetAdmin(
  config: AppConfig,
  logger: Logger,
  args: ResetArguments,
): Promise<AdminPasswordReset> {
  const undo: Array<() => Promise<void>> = [];
  try {
    const database = await openInstallationDatabase(config, logger);
    undo.push(() => database.close());
    const keys = await loadSecretKeys(config, logger);
    const dataSource = createDataSource({
      url: database.url,
      poolSize: 2,
      applicationName: 'mail-providers-reset-admin',
    });
    await dataSource.initialize();
    undo.push(() => dataSource.destroy());
    const services = new ServiceContainer({
      config,
      dataSource,
      logger,
      secretBox: keys.box,
      metrics: new Registry(),
      scraped: false,
    });
    undo.push(() => services.close());
    await migrateAndBootstrap(dataSource, async () => undefined);
    return await services
      .get(UserService)
      .resetAdminPassword(args.email, args.password, { kind: 'commandLine' });
  } finally {
    for (const step of undo.reverse()) {
      await step().catch((error: unknown) =>
        logger.warn(
          { error: error instanceof Error ? error.message : String(error) },
          'could not close cleanly',
        ),
      );
    }
  }
}

function report(result: AdminPasswordReset, email: string): { code: number; text: string } {
  switch (result.outcome) {
    case 'reset': {
      const sessions = result.sessionsEnded === 1 ? '1 session' : `${result.sessionsEnded} sessions`;
      const lines = [`The password of ${result.email} is reset; ${sessions} ended.`];
      if (result.generatedPassword) {
        lines.push(
          `  Sign in as ${result.email} with the password ${result.generatedPassword}`,
          '  (generated now and shown only this once: keep it somewhere safe)',
        );
      } else {
        lines.push(`  Sign in as ${result.email} with the password you gave.`);
      }
      return { code: 0, text: lines.join('\n') };
    }
    case 'unknown-email': {
      const known =
        result.administrators.length > 0
          ? `Administrators: ${result.administrators.join(', ')}.`
          : 'There is no administrator yet: start the server once to create the first one.';
      return { code: 1, text: `No user has the email ${email}; nothing was changed. ${known}` };
    }
    case 'not-an-administrator':
      return {
        code: 1,
        text: `${email} is a ${result.role} user, not an administrator; this command resets administrators only. Nothing was changed.`,
      };
  }
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const config = loadConfig();
    // Operational chatter (the embedded PostgreSQL starting) stays off the terminal unless LOG_LEVEL asks.
    const logger = createLogger(
      { logLevel: process.env.LOG_LEVEL ? config.logLevel : 'warn' },
      process.stderr,
    );
    const outcome = report(await resetAdmin(config, logger, args), args.email);
    (outcome.code === 0 ? process.stdout : process.stderr).write(`${outcome.text}\n`);
    return outcome.code;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`Could not reset the password; nothing was changed.\n${message}\n`);
    return 1;
  }
}

// A signal ends the command through process.exit, so the embedded PostgreSQL is stopped on the way out.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
