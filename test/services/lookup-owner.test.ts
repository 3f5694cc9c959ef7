// /owner's lookup use case against a book whose names change under a built fuzzy index.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCsv } from "../../src/services/import/import-csv.ts";
import { lookupOwner } from "../../src/services/ownership/lookup-owner.ts";
import { settledSearchIndex } from "../../src/services/ownership/search-index-cache.ts";
import { industryBookCsv } from "../fixtures/matching/industry-book.ts";
import { databaseKinds, freshDatabase, type TestDatabase } from "../support/databases.ts";

const now = new Date("2026-11-02T09:00:00Z");
const header = industryBookCsv().split("\n")[0] as string;

describe.each(databaseKinds())("lookupOwner on %s", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase(kind);
    const result = await importCsv(db.prisma, "accounts", industryBookCsv(), { now, actor: "test" });
    expect(result.ok).toBe(true);
  });
  afterAll(async () => db.drop());

  const ask = (query: string) => lookupOwner(db.prisma, query, { slackUserId: null, now });

  it("finds a name written a moment ago by a close spelling, before the index is rebuilt", async () => {
    expect((await ask("Qoulopri Analytics")).status).toBe("found"); // the index is built
    const csv = `${header}\nACC-9,"Zanthorpe Logistics Ltd",zanthorpelogistics.com,,US,NA,Logistics,50,SMB,3,2026-10-01,false,`;
    expect((await importCsv(db.prisma, "accounts", csv, { now, actor: "test" })).ok).toBe(true);
    const answer = await ask("Zanthrope Logistics");
    expect(answer.status === "found" && answer.card.account.name).toBe("Zanthorpe Logistics Ltd");
    await settledSearchIndex(db.prisma);
    const later = await ask("Zanthrope Logistics");
    expect(later.status === "found" && later.card.account.name).toBe("Zanthorpe Logistics Ltd");
  });

  it("answers 'not found' for a name sharing only an industry word with the book", async () => {
    expect(await ask("Quillmark Analytics")).toMatchObject({ status: "not_found", reason: "no_candidate" });
  });

  it("finds the company whose domain is its acronym among many more accounts with that acronym", async () => {
    const row = (id: string, name: string, domain: string) =>
      `${id},"${name}",${domain},,US,NA,Energy,50,SMB,3,2026-10-01,false,`;
    const crowd = Array.from({ length: 150 }, (_, i) =>
      row(`ACC-GE${i}`, `Gal${i}ora Energy Ltd`, `gal${i}oraenergy.com`),
    );
    const csv = [header, ...crowd, row("ACC-GE", "General Electric Company", "ge.com")].join("\n");
    expect((await importCsv(db.prisma, "accounts", csv, { now, actor: "test" })).ok).toBe(true);
    await settledSearchIndex(db.prisma);
    const answer = await ask("GE");
    expect(answer.status === "found" && answer.card.account.name).toBe("General Electric Company");
  });

  it("finds a name with a web suffix typed without its dot", async () => {
    const csv = `${header}\nACC-JD,"JD.com, Inc.",jd.com,,CN,APAC,Retail,5000,ENT,3,2026-10-01,false,`;
    expect((await importCsv(db.prisma, "accounts", csv, { now, actor: "test" })).ok).toBe(true);
    await settledSearchIndex(db.prisma);
    const answer = await ask("JDcom");
    expect(answer.status === "found" && answer.card.account.name).toBe("JD.com, Inc.");
  });
});
