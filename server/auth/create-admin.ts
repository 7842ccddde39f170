import { openDatabase } from '../../db/client';
import { migrateDatabase } from '../../db/migrate';
import { createAccount } from '../services/accounts';
import { ServiceError } from '../services/errors';
import { createAuth, loadAuthSecret } from './better-auth';

export interface CreateAdminOptions {
  username: string;
  displayName: string;
  /** Absent: a first password is made and printed. */
  password?: string;
}

/**
 * `layerbook admin create`: an admin account for whoever runs the server, on the database
 * the server uses (DATABASE_URL, else the built-in one in LAYERBOOK_DATA_DIR, which must not
 * be open in a running server at the same time: PGlite has one process).
 */
export async function createAdminFromCommandLine(options: CreateAdminOptions, io: { stdout: { write(t: string): unknown }; stderr: { write(t: string): unknown } }): Promise<number> {
  const database = openDatabase();
  try {
    await migrateDatabase(database);
    const auth = createAuth(database.db, { secret: await loadAuthSecret(database.db, process.env.LAYERBOOK_AUTH_SECRET?.trim() || undefined), trustedOrigins: () => [] });
    const made = await createAccount(database.db, auth, { ...options, role: 'admin' });
    io.stdout.write(`Made admin account "${made.username}" (${made.displayName}).\n`);
    if (!options.password) io.stdout.write(`First password: ${made.password}\nSign in and change it on the Account page.\n`);
    return 0;
  } catch (error) {
    if (error instanceof ServiceError) {
      io.stderr.write(`layerbook: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}
