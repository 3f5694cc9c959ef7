// Start-up never hangs on a database: a PostgreSQL that accepts the connection and never answers
// fails within the connect deadline, naming the host; an embedded folder that cannot be opened says
// what to do about it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";

describe("opening a database that does not cooperate", () => {
  let server: Server;
  let port: number;
  const sockets: Socket[] = [];
  let dir: string;
  beforeAll(async () => {
    // Accepts every connection and never says a word.
    server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
    dir = mkdtempSync(join(tmpdir(), "turf-open-"));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it("a PostgreSQL that never answers fails within the deadline with a message naming the host", async () => {
    const error = await openDatabase({
      databaseUrl: `postgres://turf@127.0.0.1:${port}/turf`,
      connectTimeoutMs: 300,
    }).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(`PostgreSQL at 127.0.0.1:${port} did not answer`);
  });

  it("an embedded folder that fails to open names the folder and says to check disk space or restore a backup", async () => {
    const folder = join(dir, "broken");
    // What a disk-full crash can leave: a cluster marker with nothing behind it.
    mkdirSync(folder);
    writeFileSync(join(folder, "PG_VERSION"), "17\n");
    const error = await openDatabase({ dataDir: folder, role: "test" }).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/disk space|backup/);
  });
});
