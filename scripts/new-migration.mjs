// `npm run db:migration -- <name>` writes prisma/migrations/<timestamp>_<name>/migration.sql: the SQL that
// takes the schema of the newest migration (its schema.prisma snapshot) to prisma/schema.prisma.
//
// Why not `prisma migrate dev`: it needs Prisma's native schema engine, which cannot be downloaded on our
// machines. Prisma 6.19's experimental WASM schema engine computes the same diff offline; it lives in the
// dev-only folder tools/migration-diff (installed here on first use) and never ships with Turf.
// It needs some PostgreSQL to connect to, though it reads nothing from it: MIGRATION_DIFF_DATABASE_URL,
// default postgres://postgres@127.0.0.1:5432/test.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const name = (process.argv[2] ?? "").trim();
// --replace-init rewrites the first migration from scratch. Only for a schema no database has yet:
// while Turf has no released migrations, the whole schema stays one readable init migration.
const replaceInit = process.argv.includes("--replace-init");
if (!/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration -- <name>   (lower case letters, digits and _)");
  process.exit(2);
}

const toolDir = "tools/migration-diff";
if (!existsSync(join(toolDir, "node_modules/prisma"))) {
  execFileSync("npm", ["install", "--no-audit", "--no-fund"], { cwd: toolDir, stdio: "inherit" });
}

// Prisma 6.19 wants the old generator and a url in the datasource; the models are what matter.
/** @param {string} text */
function toLegacySchema(text) {
  return text
    .replace(
      'provider   = "postgresql"',
      'provider   = "postgresql"\n  url        = "postgresql://unused@localhost/unused"',
    )
    .replace('provider        = "prisma-client"', 'provider        = "prisma-client-js"')
    .replace(/^\s*(output|moduleFormat)\s*=.*$/gm, "");
}

const migrationsDir = "prisma/migrations";
const INIT = "20261123000000_init";
const previous = replaceInit
  ? undefined
  : readdirSync(migrationsDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort()
      .at(-1);
const current = readFileSync("prisma/schema.prisma", "utf8");
writeFileSync(join(toolDir, `to.${process.pid}.prisma`), toLegacySchema(current));
const from = ["--from-empty"];
if (previous && existsSync(join(migrationsDir, previous, "schema.prisma"))) {
  writeFileSync(
    join(toolDir, `from.${process.pid}.prisma`),
    toLegacySchema(readFileSync(join(migrationsDir, previous, "schema.prisma"), "utf8")),
  );
  from.splice(0, 1, "--from-schema-datamodel", `from.${process.pid}.prisma`);
}
const env = {
  ...process.env,
  PRISMA_QUERY_ENGINE_LIBRARY: "/bin/true",
  PRISMA_SCHEMA_ENGINE_BINARY: "/bin/true",
};
const sql = execFileSync(
  "npx",
  ["prisma", "migrate", "diff", ...from, "--to-schema-datamodel", `to.${process.pid}.prisma`, "--script"],
  {
    cwd: toolDir,
    env,
    encoding: "utf8",
  },
);
for (const f of [`to.${process.pid}.prisma`, `from.${process.pid}.prisma`])
  rmSync(join(toolDir, f), { force: true });
if (replaceInit) {
  for (const old of readdirSync(migrationsDir, { withFileTypes: true })) {
    if (old.isDirectory() && old.name.endsWith("_init") && old.name !== INIT) {
      console.error(`Remove the old init migration ${old.name} first.`);
      process.exit(1);
    }
  }
}
if (!sql.trim() || /This is an empty migration/.test(sql)) {
  console.log("The schema has not changed since the last migration; nothing written.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
const dir = join(migrationsDir, replaceInit ? INIT : `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, "migration.sql"), sql);
// The snapshot lets the next migration diff from exactly this schema.
writeFileSync(join(dir, "schema.prisma"), current);
console.log(`Wrote ${dir}/migration.sql`);
