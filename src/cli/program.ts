// The `turf` command line: one commander program, built from command modules.
//
// How to add a command (the pattern every module follows):
//   1. Create `src/cli/<name>.ts` exporting `register(program: Command, context: CliContext): void`.
//      Inside, declare the command, its arguments and options with commander
//      (`program.command("outbox").description(…)`, then `.command("list")…` for subcommands), and
//      end with `.action(act(context, async (…args, options) => { …; return 0; }))`. The handler
//      returns the exit code: 0 done, 1 the work failed (say why on stderr), 2 the input was wrong.
//   2. Add the module to COMMAND_MODULES in `src/cli/commands.ts` (one line).
// Rules every command keeps:
//   - Open the database only inside the handler, with `await context.database()`: `--help` and
//     usage errors never touch it. It is opened once, migrated, and closed when the command ends.
//   - Import services inside the handler (`const { x } = await import("../services/…")`), and only
//     types at the top: services pull in Prisma and PGlite, seconds of loading that `--help` and a
//     mistyped flag should not pay. Light constants (domain enums) may be imported at the top.
//   - stdout is data (`context.out`), so every command redirects cleanly (`turf rules export >
//     rules.yaml`); messages, warnings and progress go to stderr (`context.err`, `context.logger`,
//     `context.progress`).
//   - Unknown options, unknown commands and extra arguments are errors with a "did you mean"
//     (commander's defaults, kept on by `configure` for every subcommand). Never parse argv by hand.
//   - A command that writes offers `--dry-run` that computes the same change list and writes nothing.
import { readFileSync } from "node:fs";
import { Presets, SingleBar } from "cli-progress";
import { Command, CommanderError } from "commander";
import pino from "pino";
import { ConfigError, type CoreEnv, loadCoreEnv } from "../config/env.ts";
import { createLogger, type Logger } from "../config/logger.ts";
import type { Database } from "../db/client.ts";
import { COMMAND_MODULES } from "./commands.ts";
import { type CliContext, type CliContextInternal, UsageError } from "./context.ts";

export type { CliContext, CommandModule, Progress } from "./context.ts";
export { act, UsageError } from "./context.ts";

export type CliOptions = {
  env?: Record<string, string | undefined>;
  now?: Date;
  out?: (line: string) => void;
  err?: (line: string) => void;
  /** Tests pass an already open database; the CLI then leaves it open. */
  database?: Database;
  /** Where raw text (help, errors from commander) goes; defaults to out/err. */
  stdoutIsTTY?: boolean;
};

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

/** Options every (sub)command inherits: strict parsing, output through the context, no process.exit. */
function configure(command: Command, write: { out(s: string): void; err(s: string): void }): Command {
  return command
    .exitOverride()
    .showSuggestionAfterError(true)
    .showHelpAfterError("(run with --help for usage)")
    .allowExcessArguments(false)
    .allowUnknownOption(false)
    .configureOutput({ writeOut: write.out, writeErr: write.err });
}

export function buildProgram(context: CliContext, write: { out(s: string): void; err(s: string): void }) {
  const program = configure(new Command("turf"), write)
    .description("Turf admin commands. Settings come from .env (DATABASE_URL, else TURF_DATA_DIR).")
    .version(packageVersion(), "-V, --version", "print Turf's version")
    .helpCommand("help [command]", "help for a command")
    // A fixed width, so help reads the same on every terminal and the README can quote it.
    .configureHelp({ helpWidth: 100 });
  for (const module of COMMAND_MODULES) module.register(program, context);
  // Subcommands created by modules inherit exitOverride/configureOutput from their parent at
  // creation; re-applying to all of them covers commands added through addCommand too.
  const visit = (c: Command) => {
    configure(c, write).configureHelp({ helpWidth: 100 });
    for (const sub of c.commands) visit(sub);
  };
  visit(program);
  return program;
}

/** Runs `turf argv…` and resolves to the exit code. Used by src/cli/index.ts and by tests. */
export async function runCli(argv: string[], options: CliOptions = {}): Promise<number> {
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = options.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  const source = options.env ?? process.env;
  let env: CoreEnv | undefined;
  const loadEnv = () => {
    env ??= loadCoreEnv(source);
    return env;
  };
  let logger: Logger | undefined;
  let opened: Promise<Database> | undefined;
  const now = options.now ?? new Date();
  const context: CliContextInternal = {
    exitCode: 0,
    get env() {
      return loadEnv();
    },
    get logger() {
      // Quiet unless LOG_LEVEL asks; always stderr so stdout stays data.
      logger ??= createLogger({
        level: source.LOG_LEVEL ? loadEnv().LOG_LEVEL : "warn",
        destination: pino.destination({ fd: 2, sync: true }),
      });
      return logger;
    },
    now,
    actor: `cli:${source.USER ?? "admin"}`,
    out,
    err,
    database({ importing = false } = {}) {
      if (options.database) return Promise.resolve(options.database);
      // Loaded here, not at the top: Prisma and PGlite take seconds to load, and help must not wait.
      opened ??= import("../db/open-configured.ts").then(({ openConfiguredDatabase }) =>
        openConfiguredDatabase(loadEnv(), context.logger, { role: "cli", importing }),
      );
      return opened;
    },
    progress(label) {
      if (!(options.stdoutIsTTY ?? process.stderr.isTTY)) return { update() {}, stop() {} };
      const bar = new SingleBar(
        { format: ` ${label} [{bar}] {percentage}% | {value}/{total} rows`, stream: process.stderr },
        Presets.shades_classic,
      );
      let started = false;
      return {
        update(done, total) {
          if (!started) {
            bar.start(total, done);
            started = true;
          }
          bar.setTotal(total);
          bar.update(done);
        },
        stop() {
          if (started) bar.stop();
          started = false;
        },
      };
    },
  };
  const write = {
    out: (s: string) => out(s.replace(/\n$/, "")),
    err: (s: string) => err(s.replace(/\n$/, "")),
  };
  const program = buildProgram(context, write);
  try {
    await program.parseAsync(argv, { from: "user" });
    return context.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; every parse error is a usage error (exit 2).
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof UsageError) {
      err(error.message);
      return 2;
    }
    if (error instanceof ConfigError) {
      err(error.message);
      return 1;
    }
    // Never a stack trace for the person; the logger keeps the detail when asked (LOG_LEVEL=debug).
    context.logger.debug({ err: error }, "command failed");
    err(`turf: ${(error as Error).message}`);
    return 1;
  } finally {
    if (opened) await (await opened.catch(() => null))?.close();
  }
}
