import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config';

const REPOSITORY = path.resolve(__dirname, '..', '..', '..');
const DOC = path.join(REPOSITORY, 'docs', 'environment.md');
const MODES = ['api', 'worker', 'all'];

interface Row {
  name: string;
  defaultCell: string;
  modes: string[];
  line: number;
}

/** The rows of the first table in the document, one variable each. */
function documentedRows(markdown: string): Row[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith('|'));
  if (start < 0) throw new Error(`${DOC} has no table.`);
  const rows: Row[] = [];
  for (let i = start + 2; i < lines.length && lines[i]?.startsWith('|'); i++) {
    const cells = (lines[i] ?? '')
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    const name = /^`([A-Z][A-Z0-9_]*)`$/.exec(cells[0] ?? '')?.[1];
    if (!name) throw new Error(`Line ${i + 1} of ${DOC} does not start with one variable: ${lines[i]}`);
    rows.push({
      name,
      defaultCell: cells[1] ?? '',
      modes: (cells[2] ?? '').split(',').map((mode) => mode.trim()),
      line: i + 1,
    });
  }
  return rows;
}

/** Every variable the server's configuration reads, found by watching it read an environment. */
function variablesRead(): string[] {
  const read = new Set<string>();
  const environment = new Proxy<NodeJS.ProcessEnv>(
    {},
    {
      get(target, key) {
        if (typeof key === 'string') read.add(key);
        return Reflect.get(target, key);
      },
    },
  );
  loadConfig(environment, '/srv/mail-providers', 2);
  return [...read].filter((key) => /^[A-Z][A-Z0-9_]*$/.test(key)).sort();
}

/** `process.env.NAME` and `process.env['NAME']` in the code (not its comments) under `dir`. */
function directReads(dir: string): Array<{ name: string; file: string }> {
  const found: Array<{ name: string; file: string }> = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    const file = path.join(entry.parentPath, entry.name);
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (/^\s*(\/\/|\*|\/\*)/.test(line)) continue;
      for (const match of line.matchAll(
        /process\.env(?:\.([A-Z][A-Z0-9_]*)|\[\s*'([A-Z][A-Z0-9_]*)'\s*\])/g,
      )) {
        const name = match[1] ?? match[2];
        if (name) found.push({ name, file: path.relative(REPOSITORY, file) });
      }
    }
  }
  return found;
}

const rows = documentedRows(readFileSync(DOC, 'utf8'));
const documented = rows.map((row) => row.name);

describe('docs/environment.md', () => {
  it('lists every variable once, with the modes it affects', () => {
    expect(documented.filter((name, i) => documented.indexOf(name) !== i)).toEqual([]);
    const badModes = rows.filter(
      (row) => row.modes.length === 0 || row.modes.some((mode) => !MODES.includes(mode)),
    );
    expect(badModes.map((row) => `line ${row.line}: ${row.name}`)).toEqual([]);
  });

  it('lists exactly the variables the configuration reads', () => {
    const read = variablesRead();
    // Guards the way they are found: the configuration must be seen reading its best-known variables.
    expect(read).toEqual(expect.arrayContaining(['DATABASE_URL', 'MODE', 'DELIVERY_WORKER_CONCURRENCY']));
    expect({ missingFromTable: read.filter((name) => !documented.includes(name)) }).toEqual({
      missingFromTable: [],
    });
    expect({ notReadByTheServer: documented.filter((name) => !read.includes(name)) }).toEqual({
      notReadByTheServer: [],
    });
  });

  it('lists every variable the code reads from process.env itself', () => {
    const reads = [
      ...directReads(path.join(REPOSITORY, 'packages', 'api', 'src')),
      ...directReads(path.join(REPOSITORY, 'packages', 'mailer-core', 'src')),
    ];
    expect(reads.filter((read) => !documented.includes(read.name))).toEqual([]);
  });

  // A default written as one literal is checked: setting the variable to it must change nothing.
  const literalDefaults = rows.flatMap((row) => {
    const literal = /^`([^`]+)`$/.exec(row.defaultCell)?.[1];
    return literal === undefined ? [] : [{ name: row.name, literal }];
  });

  it('has literal defaults to check', () => {
    expect(literalDefaults.length).toBeGreaterThan(30);
  });

  it.each(literalDefaults)('$name: the default `$literal` is the real one', ({ name, literal }) => {
    const cwd = '/srv/mail-providers';
    expect(loadConfig({ [name]: literal }, cwd, 2)).toEqual(loadConfig({}, cwd, 2));
  });
});
