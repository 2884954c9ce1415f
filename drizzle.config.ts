import { defineConfig } from 'drizzle-kit';

// One migrations folder feeds `wrangler d1 migrations apply` and the libSQL
// migrator that Node and Deno run at start.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema/index.ts',
  out: './migrations',
});
