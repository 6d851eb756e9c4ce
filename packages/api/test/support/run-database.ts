/** Environment variable that carries the run's PostgreSQL admin URL from global setup to the test files. */
export const ADMIN_URL_ENV = 'MAIL_PROVIDERS_TEST_ADMIN_URL';

interface RunDatabase {
  stop(): Promise<void>;
  dataDir: string;
}

// Global setup and teardown run in the same process; a global survives jest's module registry between them.
const KEY = '__mailProvidersRunDatabase';

export function setRunDatabase(database: RunDatabase): void {
  Reflect.set(globalThis, KEY, database);
}

export function takeRunDatabase(): RunDatabase | undefined {
  const value: unknown = Reflect.get(globalThis, KEY);
  Reflect.deleteProperty(globalThis, KEY);
  if (typeof value !== 'object' || value === null || !('stop' in value) || !('dataDir' in value))
    return undefined;
  const { stop, dataDir } = value;
  if (typeof stop !== 'function' || typeof dataDir !== 'string') return undefined;
  return { stop: () => Promise.resolve(stop()), dataDir };
}
