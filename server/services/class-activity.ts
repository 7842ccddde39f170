/**
 * News for a teacher's live class view that is not a run event: a student made their copy,
 * handed in, was graded, or got feedback back; or the teacher changed the assignment itself
 * (its due date, locked cells, goals), which can change every row. Announced through the database (NOTIFY), so
 * the teacher's stream hears it whichever web server or worker machine wrote it; progress of
 * training comes from the runner's own events (server/training/run-events.ts).
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';

export const CLASS_ACTIVITY_CHANNEL = 'class_activity';

export type StudentActivityKind = 'started' | 'handed-in' | 'graded' | 'feedback';

export type ClassActivity =
  | { assignmentId: string; studentId: string; what: StudentActivityKind }
  /** The assignment itself changed (./assignment-changes.ts): its heading, and any student's row, may read differently. */
  | { assignmentId: string; what: 'assignment-changed' };

const STUDENT_ACTIVITY_KINDS: readonly string[] = ['started', 'handed-in', 'graded', 'feedback'] satisfies StudentActivityKind[];

/**
 * Tells every live class view of the assignment what changed. Never throws: the change itself
 * is stored already, and a view that misses the news catches up at its next full read.
 */
export async function announceClassActivity(db: Database, activity: ClassActivity): Promise<void> {
  try {
    await db.execute(sql`select pg_notify(${CLASS_ACTIVITY_CHANNEL}, ${JSON.stringify(activity)})`);
  } catch (error) {
    const what = activity.what === 'assignment-changed' ? 'the assignment changed' : `a student ${activity.what}`;
    console.error(`[class view] could not announce that ${what}:`, error);
  }
}

type PgliteClient = { listen(channel: string, cb: (payload: string) => void): Promise<() => Promise<void>> };
type PostgresJsClient = { listen(channel: string, cb: (payload: string) => void): Promise<{ unlisten(): Promise<void> }> };

/**
 * Calls `onActivity` for every announcement; resolves to a function that stops listening. Both
 * drivers share one LISTEN per channel among all callers (postgres.js on a connection of its
 * own), so each open class view costs a callback, not a connection.
 */
export async function listenForClassActivity(db: Database, onActivity: (activity: ClassActivity) => void): Promise<() => Promise<void>> {
  const handle = (payload: string) => {
    const activity = readActivity(payload);
    if (activity) onActivity(activity);
  };
  const client = (db as unknown as { $client: PgliteClient | PostgresJsClient }).$client;
  const listening = await client.listen(CLASS_ACTIVITY_CHANNEL, handle);
  // PGlite answers with the function that stops; postgres.js with an object that has one.
  return typeof listening === 'function' ? listening : () => listening.unlisten();
}

function readActivity(payload: string): ClassActivity | null {
  try {
    const value = JSON.parse(payload) as { assignmentId?: unknown; studentId?: unknown; what?: unknown };
    if (typeof value.assignmentId !== 'string') return null;
    if (value.what === 'assignment-changed') return { assignmentId: value.assignmentId, what: value.what };
    if (typeof value.studentId === 'string' && typeof value.what === 'string' && STUDENT_ACTIVITY_KINDS.includes(value.what)) {
      return { assignmentId: value.assignmentId, studentId: value.studentId, what: value.what as StudentActivityKind };
    }
  } catch {
    // Not ours to read: ignore it like any other stranger on the channel.
  }
  return null;
}
