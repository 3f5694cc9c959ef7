// The README's admin section is the CLI's contract: every example runs against the sample company,
// and every command and option it shows is one `--help` documents (and every command is shown).
// In-process through runCli (the same program the `turf` process runs) to keep this fast.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/program.ts";
import { loadSampleData, SAMPLE_DATA_DIR } from "../../src/services/sample-data.ts";
import { freshDatabase, type TestDatabase } from "../support/databases.ts";
import { NOW, ROOT } from "./support.ts";

type Example = { line: string; args: string[]; redirect: string | null };

function examples(): Example[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Admin CLI"));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  return block
    .split("\n")
    .filter((l) => l.startsWith("npx turf"))
    .map((line) => {
      const command = line.replace(/\s{2,}#.*$/, "").trim();
      const words = [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? "");
      const at = words.indexOf(">");
      const redirect = at >= 0 ? (words[at + 1] ?? null) : null;
      const args = (at >= 0 ? words.slice(0, at) : words).slice(2);
      return { line, args, redirect };
    });
}

describe("the README's admin section", () => {
  let db: TestDatabase;
  const cwd = mkdtempSync(join(tmpdir(), "turf-readme-"));
  const home = process.cwd();
  beforeAll(async () => {
    db = await freshDatabase("embedded");
    await loadSampleData(db.prisma, NOW);
    for (const kind of ["territories", "reps", "accounts", "opportunities", "arbiters", "signals"])
      copyFileSync(join(SAMPLE_DATA_DIR, `${kind}.csv`), join(cwd, `${kind}.csv`));
    process.chdir(cwd);
  });
  afterAll(async () => {
    process.chdir(home);
    await db.drop();
    rmSync(cwd, { recursive: true, force: true });
  });

  async function turf(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(args, {
      database: db,
      env: { TURF_DATA_DIR: join(cwd, "restored") },
      now: NOW,
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    });
    return { code, out: out.join("\n"), err: err.join("\n") };
  }

  it("shows only commands and options that --help documents, and every command", async () => {
    const list = examples();
    expect(list.length).toBeGreaterThan(20);
    const top = await turf(["--help"]);
    const commands = [...top.out.matchAll(/^ {2}([a-z][a-z-]*)/gm)]
      .map((m) => m[1])
      .filter((c) => c !== "help");
    for (const command of commands)
      expect(
        list.some((e) => e.args[0] === command),
        command,
      ).toBe(true);
    for (const example of list) {
      const path = example.args.filter((a, i) => i < 2 && !a.startsWith("-"));
      let help = await turf([...path, "--help"]);
      if (help.out.includes("Commands:") && path.length === 2 && !help.out.includes(`turf ${path.join(" ")}`))
        help = await turf([path[0] as string, "--help"]);
      expect(help.code, example.line).toBe(0);
      for (const flag of example.args.filter((a) => a.startsWith("--")))
        expect(help.out, `${example.line}: ${flag}`).toContain(flag);
    }
  });

  it("runs every example against the sample company", { timeout: 600_000 }, async () => {
    for (const example of examples()) {
      const result = await turf(example.args);
      if (example.args[0] === "sample-data") {
        // Shown for an empty database; this one already holds the sample company.
        expect(result.code, example.line).toBe(1);
        expect(result.err).toContain("loads only into an empty database");
        continue;
      }
      expect({ line: example.line, code: result.code, err: result.code ? result.err : "" }).toEqual({
        line: example.line,
        code: 0,
        err: "",
      });
      if (example.redirect) writeFileSync(join(cwd, example.redirect), `${result.out}\n`);
    }
    for (const file of [
      "changes.csv",
      "owner-changes.csv",
      "preview.md",
      "crm-owner-update.csv",
      "audit.json",
    ])
      expect(existsSync(join(cwd, file)), file).toBe(true);
    expect(readFileSync(join(cwd, "rules.yaml"), "utf8")).toMatch(/^rules:/);
    expect(readFileSync(join(cwd, "ownership.csv"), "utf8")).toMatch(/^crm_id,account,domains,owner_email/);
  });
});
