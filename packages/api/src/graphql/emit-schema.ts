import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildAppSchema } from './build-schema';

/** Where the committed schema lives: packages/api/schema.graphql (from src/graphql or dist/graphql). */
export const SCHEMA_FILE = path.resolve(__dirname, '..', '..', 'schema.graphql');

const HEADER =
  '# Emitted from the resolvers by `pnpm --filter @mail-providers/api run schema`; do not edit.\n\n';

/** The schema as committed: sorted, so the diff shows only real changes. */
export async function schemaText(): Promise<string> {
  return `${HEADER}${printSchema(lexicographicSortSchema(await buildAppSchema()))}\n`;
}

async function main(): Promise<void> {
  await writeFile(SCHEMA_FILE, await schemaText());
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
