// Where the embedded database lives, and the lock that gives it one writer.
//
// PGlite is a single-process PostgreSQL: two processes opening one folder each keep their own copy
// of the data in memory and overwrite each other's files, so rows vanish. The running app (or a CLI
// command) therefore holds `<data dir>.lock` for as long as the folder is open; whoever comes second
// refuses with the holder's pid. proper-lockfile makes the lock atomic (mkdir) and keeps it fresh;
// a holder that died without releasing (SIGKILL, power loss) is detected by its pid on this host or,
// from another host sharing the folder, by the lock going stale.
import { existsSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import lockfile from "proper-lockfile";

export type LockRole = "app" | "cli" | "test";
type Owner = { pid: number; host: string; role: LockRole; since: string };

/** Refresh period of the lock; a lock untouched for STALE_MS belongs to a holder that is gone. */
const STALE_MS = 10_000;

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: Owner | null,
    role: LockRole,
  ) {
    super(lockedMessage(dataDir, owner, role));
    this.name = "DataDirLockedError";
  }
}

function lockedMessage(dataDir: string, owner: Owner | null, role: LockRole): string {
  const who = owner
    ? `${owner.role === "cli" ? "a turf command" : "the Turf app"} (pid ${owner.pid}${owner.host === hostname() ? "" : ` on ${owner.host}`}, since ${owner.since})`
    : "another process that is starting up";
  const base = `The embedded database in ${dataDir} is in use by ${who}. An embedded database has exactly one writer; a second one would lose rows.`;
  if (role === "cli")
    return `${base}\nStop the app first (Ctrl-C in its terminal${owner ? `, or kill ${owner.pid}` : ""}), run this command, then start the app again. To run admin commands while the app serves Slack, use PostgreSQL (DATABASE_URL).`;
  return `${base}\nTurf is already running on this data; stop it first${owner ? ` (kill ${owner.pid})` : ""}, or set TURF_DATA_DIR to another folder.`;
}

/**
 * The project root: the nearest folder upwards with a package.json named "turf", searched from the
 * working directory and then from this file, so `npx turf` in a subfolder finds the same data.
 */
export function projectRoot(from: string = process.cwd()): string {
  for (const start of [from, dirname(fileURLToPath(import.meta.url))]) {
    let dir = resolve(start);
    for (;;) {
      const manifest = join(dir, "package.json");
      if (existsSync(manifest)) {
        try {
          if ((JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name === "turf") return dir;
        } catch {
          // An unreadable package.json is not ours; keep walking up.
        }
      }
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return resolve(from);
}

/** TURF_DATA_DIR as an absolute path: relative values are relative to the project root, not the cwd. */
export function resolveDataDir(configured: string, from?: string): string {
  return isAbsolute(configured) ? configured : resolve(projectRoot(from), configured);
}

const lockPathOf = (dataDir: string) => `${dataDir}.lock`;
const ownerFileOf = (dataDir: string) => join(lockPathOf(dataDir), "owner.json");

function readOwner(dataDir: string): Owner | null {
  try {
    return JSON.parse(readFileSync(ownerFileOf(dataDir), "utf8")) as Owner;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  // A killed process nobody has reaped yet (a container without an init) still answers signal 0.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

/** Whether an existing lock was left by a holder that is gone (and may be removed). */
function abandoned(dataDir: string, owner: Owner | null): boolean {
  if (owner && owner.host === hostname()) return !alive(owner.pid);
  try {
    return statSync(lockPathOf(dataDir)).mtime.getTime() < Date.now() - STALE_MS;
  } catch {
    return true;
  }
}

export type DataDirLock = { release(): Promise<void> };

/**
 * Takes the data directory's lock or throws DataDirLockedError naming the holder. `onLost` runs if
 * the lock is taken away while held (its folder deleted, the disk gone).
 */
export async function lockDataDir(
  dataDir: string,
  role: LockRole,
  onLost: (error: Error) => void = () => {},
): Promise<DataDirLock> {
  for (let attempt = 0; ; attempt++) {
    try {
      const release = await lockfile.lock(dataDir, {
        lockfilePath: lockPathOf(dataDir),
        realpath: false,
        stale: STALE_MS,
        retries: 0,
        onCompromised: onLost,
      });
      const owner: Owner = { pid: process.pid, host: hostname(), role, since: new Date().toISOString() };
      // proper-lockfile treats any mtime it did not set as a lost lock; writing the owner file into
      // the lock folder moves that mtime, so it is put back (synchronously: its refresh timer cannot
      // run in between).
      const before = statSync(lockPathOf(dataDir));
      writeFileSync(ownerFileOf(dataDir), JSON.stringify(owner));
      utimesSync(lockPathOf(dataDir), before.atime, before.mtime);
      return {
        async release() {
          rmSync(ownerFileOf(dataDir), { force: true });
          await release().catch(() => undefined);
        },
      };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ELOCKED: held and fresh. ENOTEMPTY: stale by mtime but proper-lockfile cannot rmdir it
      // because our owner file is inside; either way we decide from the owner.
      if (code !== "ELOCKED" && code !== "ENOTEMPTY") throw error;
      const owner = readOwner(dataDir);
      if (abandoned(dataDir, owner)) {
        rmSync(lockPathOf(dataDir), { recursive: true, force: true });
        if (attempt < 3) continue;
      }
      // A holder that was just killed takes a moment to be gone; look again briefly before refusing.
      if (attempt < 5) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      throw new DataDirLockedError(dataDir, owner, role);
    }
  }
}
