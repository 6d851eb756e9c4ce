import { readFile } from 'node:fs/promises';
import { SCHEMA_FILE, schemaText } from '../src/graphql/emit-schema';

describe('schema.graphql', () => {
  it('matches the resolvers (run `pnpm --filter @mail-providers/api run schema` after changing them)', async () => {
    const committed = await readFile(SCHEMA_FILE, 'utf8');
    expect(committed).toBe(await schemaText());
  });
});
