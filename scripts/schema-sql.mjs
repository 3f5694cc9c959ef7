// Prints the SQL that creates prisma/schema.prisma from nothing (Prisma's own `migrate diff
// --from-empty`), using the dev-only Prisma 6.19 WASM engine in tools/migration-diff. The drift test
// compares a database built from this with one built from the migrations folder.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const toolDir = "tools/migration-diff";
const schema = readFileSync("prisma/schema.prisma", "utf8")
  .replace(
    'provider   = "postgresql"',
    'provider   = "postgresql"\n  url        = "postgresql://unused@localhost/unused"',
  )
  .replace('provider        = "prisma-client"', 'provider        = "prisma-client-js"')
  .replace(/^\s*(output|moduleFormat)\s*=.*$/gm, "");
const file = `current.${process.pid}.prisma`;
writeFileSync(join(toolDir, file), schema);
try {
  const sql = execFileSync(
    "npx",
    ["prisma", "migrate", "diff", "--from-empty", "--to-schema-datamodel", file, "--script"],
    {
      cwd: toolDir,
      env: {
        ...process.env,
        PRISMA_QUERY_ENGINE_LIBRARY: "/bin/true",
        PRISMA_SCHEMA_ENGINE_BINARY: "/bin/true",
        PRISMA_HIDE_UPDATE_MESSAGE: "1",
      },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    },
  );
  process.stdout.write(sql);
} finally {
  rmSync(join(toolDir, file), { force: true });
}
