import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { preProcessFile } from 'typescript';

// `@mail-providers/mailer-core/rules` runs in the panel's browser bundle: nothing it loads, however
// indirectly, may be a node: module or another package (nodemailer, zod …).

const SOURCE = resolve(__dirname, '../src');
const ENTRY = join(SOURCE, 'rules/index.ts');

/** Every module the entry loads, with each import specifier found in it. */
function moduleGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop();
    if (file === undefined || graph.has(file)) continue;
    const specifiers = preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map(
      (imported) => imported.fileName,
    );
    graph.set(file, specifiers);
    for (const specifier of specifiers) {
      if (!specifier.startsWith('.')) continue;
      const base = resolve(dirname(file), specifier);
      const target = [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
      if (target === undefined)
        throw new Error(`${relative(SOURCE, file)} imports ${specifier}, which is not found.`);
      pending.push(target);
    }
  }
  return graph;
}

describe('the rules entry', () => {
  const graph = moduleGraph(ENTRY);

  it('loads only modules of its own, none of node: or of another package', () => {
    const outside = [...graph].flatMap(([file, specifiers]) =>
      specifiers
        .filter((specifier) => !specifier.startsWith('.'))
        .map((specifier) => `${relative(SOURCE, file)}: ${specifier}`),
    );
    expect(outside).toEqual([]);
  });

  it('is found by the check: the engine entry reaches node: modules and nodemailer', () => {
    const engine = [...moduleGraph(join(SOURCE, 'index.ts')).values()].flat();
    expect(engine).toEqual(expect.arrayContaining(['node:net', 'nodemailer/lib/smtp-connection']));
  });

  it('is declared in the package exports for require, import and types', () => {
    const manifest: { exports: Record<string, Record<string, string>> } = JSON.parse(
      readFileSync(resolve(__dirname, '../package.json'), 'utf8'),
    );
    expect(manifest.exports['./rules']).toEqual({
      types: './dist/rules/index.d.ts',
      require: './dist/rules/index.js',
      import: './dist/rules/index.js',
    });
  });
});
