import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** A result as node-postgres gives it: the rows, and how many rows a write touched. */
export interface SqlResult<Row> {
  rows: Row[];
  rowCount: number;
}

/**
 * The one shape of "something that runs SQL" used by the durable-sending code. pg-boss accepts the same
 * shape as its `db` option, which is how a job is inserted in the caller's own transaction.
 */
export interface SqlExecutor {
  executeSql<Row = Record<string, unknown>>(text: string, values?: unknown[]): Promise<SqlResult<Row>>;
}

/** Runs statements on the query runner's connection, inside whatever transaction it holds. */
export function runnerExecutor(runner: QueryRunner): SqlExecutor {
  return {
    async executeSql<Row>(text: string, values: unknown[] = []): Promise<SqlResult<Row>> {
      const result = await runner.query(text, values, true);
      const rows: Row[] = Array.isArray(result.records) ? result.records : [];
      return { rows, rowCount: typeof result.affected === 'number' ? result.affected : rows.length };
    },
  };
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
