import { defineConfig } from 'drizzle-kit';

// `npx drizzle-kit generate` works offline: it diffs db/schema.ts against the committed snapshots.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema.ts',
  out: './db/migrations',
});
