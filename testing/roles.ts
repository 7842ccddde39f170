import { eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { users, type UserRole } from '../db/schema';

/** What an admin's "make a teacher" does, for tests that need a teacher without the account pages. */
export async function giveRole(db: Database, userId: string, role: UserRole): Promise<void> {
  await db.update(users).set({ role }).where(eq(users.id, userId));
}
