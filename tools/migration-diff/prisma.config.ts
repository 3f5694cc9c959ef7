// Dev-only config for Prisma 6.19's experimental JS schema engine (no native download needed).
// The adapter must reach some PostgreSQL even though `migrate diff --from-empty` reads nothing from it.
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

const connectionString = process.env.MIGRATION_DIFF_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => new PrismaPg({ connectionString }),
});
