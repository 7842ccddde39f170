import type { Database } from './client';

/**
 * A statement built once per database instead of once per call, for the queries every request
 * runs (the session lookup, the save): building a drizzle query each time cost about as much
 * CPU as running it. `build` makes the prepared query with `sql.placeholder`s; each database
 * (a test's PGlite, a server's pool) gets its own, dropped with it.
 */
export function preparedPerDatabase<Statement>(build: (db: Database) => Statement): (db: Database) => Statement {
  const statements = new WeakMap<Database, Statement>();
  return (db) => {
    let statement = statements.get(db);
    if (!statement) statements.set(db, (statement = build(db)));
    return statement;
  };
}
