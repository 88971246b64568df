import path from 'node:path';
import { runner } from 'node-pg-migrate';

export const MIGRATIONS_DIR = path.join(__dirname, 'migrations');

/**
 * Apply every pending migration in db/migrations (SQL files, node-pg-migrate).
 * Safe to call at every start: applied ones are skipped; concurrent callers wait on its lock.
 */
export async function migrate(databaseUrl: string, log: (msg: string) => void = () => {}): Promise<void> {
  await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    count: Infinity,
    checkOrder: true,
    verbose: false,
    log,
  });
}
