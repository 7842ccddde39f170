import { PGlite } from '@electric-sql/pglite';
const db = new PGlite('/tmp/dur');
console.log((await db.query('select count(*) from pg_tables where tablename = $1', ['t'])).rows);
try { console.log((await db.query('select count(*) from t')).rows); } catch (e) { console.log('err', e.message); }
await db.close();
