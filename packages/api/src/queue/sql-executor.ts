import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** A result as node-postgres gives it: the rows, and how many rows a write touched. */
export interface SqlResult<Row> {
  rows: Row[];
  rowCount: number;
}

/** The one shape of "something that runs SQL" used by the durable-sending code. */
export interface SqlExecutor {
  executeSql<Row = Record<string, unknown>>(text: string, values?: unknown[]): Promise<SqlResult<Row>>;
}

/**
 * Runs statements on the query runner's connection, inside whatever transaction it holds. Statements with
 * parameters run as named prepared statements: each connection parses and plans one once, then only
 * executes it. The statements of durable sending are few and fixed (the log's filters make a few dozen
 * variants at most), and planning the larger ones (acceptance with its job insert, the batched writes)
 * cost more than running them.
 */
export function runnerExecutor(runner: QueryRunner): SqlExecutor {
  return {
    async executeSql<Row>(text: string, values: unknown[] = []): Promise<SqlResult<Row>> {
      const client = (await runner.connect()) as PoolClient;
      // Without parameters, a plain query: such texts are short, and a prepared statement could not hold
      // more than one command.
      const result =
        values.length > 0
          ? await client.query({ name: statementName(text), text, values })
          : await client.query(text);
      const rows = result.rows as Row[];
      return { rows, rowCount: result.rowCount ?? rows.length };
    },
  };
}

const statementNames = new Map<string, string>();

/** A name per statement text: the same text always has the same name, on every connection. */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `mp_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return name;
}

/** Runs each statement on a connection of its own from the pool (no transaction across statements). */
export function dataSourceExecutor(dataSource: DataSource): SqlExecutor {
  return {
    async executeSql<Row>(text: string, values: unknown[] = []): Promise<SqlResult<Row>> {
      const runner = dataSource.createQueryRunner();
      try {
        return await runnerExecutor(runner).executeSql<Row>(text, values);
      } finally {
        await runner.release();
      }
    },
  };
}

/** The executor for a transaction opened with `dataSource.transaction(manager => …)`. */
export function managerExecutor(manager: EntityManager): SqlExecutor {
  const runner = manager.queryRunner;
  if (!runner) throw new Error('The entity manager is not bound to a transaction.');
  return runnerExecutor(runner);
}

/** Runs `work` in one transaction and hands it an executor bound to that transaction. */
export async function inTransaction<T>(
  dataSource: DataSource,
  work: (sql: SqlExecutor) => Promise<T>,
): Promise<T> {
  return dataSource.transaction((manager) => work(managerExecutor(manager)));
}
