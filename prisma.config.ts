// Prisma CLI configuration. Only `prisma generate` runs here (see scripts/generate-prisma-client.mjs);
// migrations are SQL files applied by src/db/migrate.ts, because the native schema engine cannot be
// downloaded on our machines.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
