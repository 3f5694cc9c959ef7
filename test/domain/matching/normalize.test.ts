import { describe, expect, it } from "vitest";
import {
  acronymOf,
  coreKey,
  foldAccents,
  normalizeCompanyName,
  registrableDomain,
  searchKeysFor,
} from "../../../src/domain/matching/normalize.ts";

describe("normalizeCompanyName", () => {
  const cases: [string, string][] = [
    ["Acme, Inc.", "acme"],
    ["ACME INCORPORATED", "acme"],
    ["Acme LLC", "acme"],
    ["Acme Ltd", "acme"],
    ["Acme Limited", "acme"],
    ["Acme GmbH", "acme"],
    ["Acme GmbH & Co. KG", "acme"],
    ["Siemens AG", "siemens"],
    ["Nestlé S.A.", "nestle"],
    ["Acme SAS", "acme"],
    ["Eni S.p.A.", "eni"],
    ["Koninklijke Philips N.V.", "koninklijke philips"],
    ["Booking.com B.V.", "booking"],
    ["Unilever PLC", "unilever"],
    ["Canva Pty Ltd", "canva"],
    ["Samsung Electronics Co., Ltd.", "samsung electronics"],
    ["Toyota Motor Corporation", "toyota motor"],
    ["Nintendo K.K.", "nintendo"],
    ["Nokia Oyj", "nokia"],
    ["Volvo AB (publ)", "volvo"],
    ["Novo Nordisk A/S", "novo nordisk"],
    ["Equinor ASA", "equinor"],
    ["Airbus SE", "airbus"],
    ["Grupo Televisa, S.A.B. de C.V.", "grupo televisa"],
    ["Tata Sons Private Limited", "tata sons"],
    ["Procter & Gamble", "procter gamble"],
    ["Procter and Gamble Co", "procter gamble"],
    ["The Home Depot", "home depot"],
    ["AT&T Inc.", "att"],
    ["H&M", "hm"],
    ["McDonald’s Corporation", "mcdonalds"],
    ["Coca-Cola", "coca cola"],
    ["L'Oréal", "loreal"],
    ["A.P. Møller - Mærsk A/S", "ap moller maersk"],
    ["Straße GmbH", "strasse"],
    ["Łukasiewicz", "lukasiewicz"],
    ["Société Générale", "societe generale"],
    ["Ørsted A/S", "orsted"],
    // A name that is only a legal form keeps it rather than vanish.
    ["Company", "company"],
    ["The", "the"],
  ];
  it.each(cases)("%j -> %j", (raw, expected) => {
    expect(normalizeCompanyName(raw)).toBe(expected);
  });
});

describe("foldAccents", () => {
  it.each([
    ["Crédit Agricole", "credit agricole"],
    ["Hermès", "hermes"],
    ["Petróleo", "petroleo"],
    ["Ａｃｍｅ", "acme"],
  ])("%j -> %j", (raw, expected) => {
    expect(foldAccents(raw)).toBe(expected);
  });
});

describe("coreKey", () => {
  it.each([
    ["goldman sachs group", "goldmansachs"],
    ["hilton worldwide holdings", "hilton"],
    ["group", "group"],
    ["global payments", "globalpayments"],
  ])("%j -> %j", (normalized, expected) => {
    expect(coreKey(normalized)).toBe(expected);
  });
});

describe("acronymOf", () => {
  it.each<[string, string | null]>([
    ["International Business Machines Corporation", "ibm"],
    ["Hewlett Packard Enterprise Company", "hpe"],
    ["Bank of America Corporation", "ba"],
    ["American International Group, Inc.", "aig"],
    ["Procter & Gamble", "pg"],
    ["Bayerische Motoren Werke AG", "bmw"],
    ["HP Inc.", null],
    ["Apple", null],
  ])("%j -> %j", (name, expected) => {
    expect(acronymOf(name)).toBe(expected);
  });
});

describe("registrableDomain", () => {
  it.each<[string, string | null]>([
    ["eu.acme.co.uk", "acme.co.uk"],
    ["WWW.ACME.COM", "acme.com"],
    ["jane@shop.acme.com.au", "acme.com.au"],
    ["https://www.acme.co.uk/about", "acme.co.uk"],
    ["co.uk", null],
    ["localhost", null],
    ["10.0.0.1", null],
  ])("%j -> %j", (input, expected) => {
    expect(registrableDomain(input)).toBe(expected);
  });
});

describe("searchKeysFor", () => {
  it("gives the keys the data layer indexes", () => {
    expect(
      searchKeysFor({
        name: "The Goldman Sachs Group, Inc.",
        domains: ["www.goldmansachs.com", "GS.com", "gs.com"],
      }),
    ).toEqual({
      normalizedName: "goldman sachs group",
      compactName: "goldmansachsgroup",
      coreName: "goldmansachs",
      acronym: "gsg",
      domains: ["goldmansachs.com", "gs.com"],
    });
  });
});
