/**
 * @jest-environment node
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { DOCUMENTS, GENERATED, OUTPUT, SCHEMA } from '../../codegen';

// The committed types must be exactly what codegen writes from the committed schema and the panel's
// operations today: a changed schema or operation without `pnpm --filter @mail-providers/admin run codegen`
// fails here.

const ADMIN = path.resolve(__dirname, '../..');

/**
 * Runs codegen's own generate() in memory (it returns the text instead of writing the file) and formats it
 * as the codegen script does, in a child Node process: the generator and prettier load ES modules, which
 * jest's CommonJS runtime cannot.
 */
const GENERATE_IN_MEMORY = `
  const { generate } = await import('@graphql-codegen/cli');
  const prettier = await import('prettier');
  const { target, ...config } = JSON.parse(process.env.CODEGEN_CONFIG);
  const [output] = await generate(config, false);
  const options = await prettier.resolveConfig(target);
  process.stdout.write(await prettier.format(output.content, { ...options, filepath: target }));
`;

/** A path of codegen.ts (relative to the package, `!` for an exclusion) from wherever jest runs. */
function inPackage(pattern: string): string {
  return pattern.startsWith('!') ? `!${path.join(ADMIN, pattern.slice(1))}` : path.join(ADMIN, pattern);
}

describe('src/graphql/generated.ts', () => {
  it('is up to date with packages/api/schema.graphql and the operations (else run the codegen script)', async () => {
    const target = path.join(ADMIN, GENERATED);
    const config = {
      target,
      schema: inPackage(SCHEMA),
      documents: DOCUMENTS.map(inPackage),
      generates: { [target]: OUTPUT },
      silent: true,
    };
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '--eval', GENERATE_IN_MEMORY],
      { cwd: ADMIN, env: { ...process.env, CODEGEN_CONFIG: JSON.stringify(config) }, maxBuffer: 8 << 20 },
    );
    expect(readFileSync(target, 'utf8')).toBe(stdout);
  });
});
