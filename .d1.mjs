import { PGlite } from '@electric-sql/pglite';
const db = new PGlite('/tmp/dur');
await db.exec('create table if not exists t (x int)');
await db.query('insert into t values (1)');
if (process.argv[2] === 'close') await db.close();
process.kill(process.pid, 'SIGKILL');
