import { describe, expect, it } from "vitest";
import { type LookupQuery, parseLookupQuery } from "../../../src/domain/matching/query.ts";

describe("parseLookupQuery", () => {
  const cases: [string, LookupQuery][] = [
    ["eu.acme.co.uk", { kind: "domain", domain: "acme.co.uk" }],
    ["https://www.acme.co.uk/about", { kind: "domain", domain: "acme.co.uk" }],
    ["jane@acme.co.uk", { kind: "domain", domain: "acme.co.uk" }],
    ["JANE.DOE@EU.ACME.COM", { kind: "domain", domain: "acme.com" }],
    ["acme.com", { kind: "domain", domain: "acme.com" }],
    ["http://shop.acme.com.au:8080/x?y=1", { kind: "domain", domain: "acme.com.au" }],
    ["<https://acme.com|acme.com>", { kind: "domain", domain: "acme.com" }],
    ["<https://www.acme.de/impressum>", { kind: "domain", domain: "acme.de" }],
    ["<mailto:jane@acme.com|jane@acme.com>", { kind: "domain", domain: "acme.com" }],
    ["jane@gmail.com", { kind: "free_mail", domain: "gmail.com" }],
    ["<mailto:bob@outlook.com|bob@outlook.com>", { kind: "free_mail", domain: "outlook.com" }],
    ["someone@mail.yahoo.co.uk", { kind: "free_mail", domain: "yahoo.co.uk" }],
    // A bare provider domain is a company (Yahoo), only its mailboxes are anonymous.
    ["yahoo.com", { kind: "domain", domain: "yahoo.com" }],
    ["001Dn00000AbCdE", { kind: "crm_id", crmId: "001Dn00000AbCdE" }],
    ["001Dn00000AbCdEFGH", { kind: "crm_id", crmId: "001Dn00000AbCdEFGH" }],
    ["ACC-1234", { kind: "crm_id", crmId: "ACC-1234" }],
    ["acc-77", { kind: "crm_id", crmId: "acc-77" }],
    // Fifteen letters and no digit is a name, not an id.
    [
      "Bristolmyerssqb",
      {
        kind: "name",
        normalized: "bristolmyerssqb",
        tokens: ["bristolmyerssqb"],
        words: ["bristolmyerssqb"],
      },
    ],
    ["Acme GmbH", { kind: "name", normalized: "acme", tokens: ["acme"], words: ["acme"] }],
    ["  “Nestlé S.A.”? ", { kind: "name", normalized: "nestle", tokens: ["nestle"], words: ["nestle"] }],
    ["J.P.Morgan", { kind: "name", normalized: "jpmorgan", tokens: ["jpmorgan"], words: ["jpmorgan"] }],
    ["S.A.", { kind: "name", normalized: "sa", tokens: ["sa"], words: ["sa"] }],
    ["Amazon.com, Inc.", { kind: "name", normalized: "amazon", tokens: ["amazon"], words: ["amazon"] }],
    // Fillers leave the identifying words but stay in the words as typed.
    [
      "Marks and Spencer",
      {
        kind: "name",
        normalized: "marks spencer",
        tokens: ["marks", "spencer"],
        words: ["marks", "and", "spencer"],
      },
    ],
    ["", { kind: "empty" }],
    ["   ", { kind: "empty" }],
    ["?!", { kind: "empty" }],
  ];
  it.each(cases)("%j", (raw, expected) => {
    expect(parseLookupQuery(raw)).toEqual(expected);
  });

  it("takes the CRM id patterns as a parameter", () => {
    const options = { crmIdPatterns: [/^CUST\d{4}$/] };
    expect(parseLookupQuery("CUST0042", options)).toEqual({ kind: "crm_id", crmId: "CUST0042" });
    expect(parseLookupQuery("ACC-1234", options).kind).toBe("name");
  });

  it("takes the free-mail list as a parameter", () => {
    expect(parseLookupQuery("jane@acme.com", { freeMailDomains: new Set(["acme.com"]) })).toEqual({
      kind: "free_mail",
      domain: "acme.com",
    });
  });
});
