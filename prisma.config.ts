// Prisma CLI configuration. `prisma generate` runs offline on every install (see
// scripts/generate-prisma-client.mjs); Turf applies migrations itself (src/db/migrate.ts) because the
// native schema engine cannot be downloaded everywhere. Where it can, `npx prisma migrate status` and
// `npx prisma studio` work against PostgreSQL: the datasource URL comes from DATABASE_URL (or .env),
// and only when set, so generating the client needs no database.
import dotenv from "dotenv";
import { defineConfig } from "prisma/config";

dotenv.config({ quiet: true });
const url = process.env.DATABASE_URL;

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  ...(url ? { datasource: { url } } : {}),
});
