import { fileURLToPath } from 'node:url';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { OpenedDatabase } from './client';
import type * as schema from './schema';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

/** Any fixed number works; it only has to be the same in every Layerbook process. */
const MIGRATION_LOCK_KEY = 72_617_201;

/**
 * Applies the committed migrations in db/migrations that this database has not seen yet.
 * Tests pass another folder to leave a database as an older Layerbook did (testing/old-migrations.ts).
 */
export async function migrateDatabase(database: OpenedDatabase, migrationsFolder = MIGRATIONS_FOLDER): Promise<void> {
  const config = { migrationsFolder };
  await database.exclusive(MIGRATION_LOCK_KEY, async () => {
    if (database.kind === 'pglite') {
      await migratePglite(database.db as unknown as PgliteDatabase<typeof schema>, config);
    } else {
      await migratePostgres(database.db as unknown as PostgresJsDatabase<typeof schema>, config);
    }
  });
}
