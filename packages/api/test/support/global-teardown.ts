import { rm } from 'node:fs/promises';
import { takeRunDatabase } from './run-database';

export default async function globalTeardown(): Promise<void> {
  const database = takeRunDatabase();
  if (!database) return;
  await database.stop();
  await rm(database.dataDir, { recursive: true, force: true });
}
