-- CreateTable
CREATE TABLE "SearchIndexVersion" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "SearchIndexVersion_pkey" PRIMARY KEY ("id")
);


-- The single row, and the triggers that bump it. Statement-level, so a bulk write of a million rows
-- bumps once per statement rather than once per row.
INSERT INTO "SearchIndexVersion" ("id", "version") VALUES (1, 0) ON CONFLICT DO NOTHING;

CREATE FUNCTION "turf_bump_search_index_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "SearchIndexVersion" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER "Account_search_index_version"
  AFTER INSERT OR DELETE OR UPDATE OF "normalizedName" ON "Account"
  FOR EACH STATEMENT EXECUTE FUNCTION "turf_bump_search_index_version"();

CREATE TRIGGER "Account_search_index_version_truncate"
  AFTER TRUNCATE ON "Account"
  FOR EACH STATEMENT EXECUTE FUNCTION "turf_bump_search_index_version"();

CREATE TRIGGER "AccountDomain_search_index_version"
  AFTER INSERT OR DELETE OR UPDATE ON "AccountDomain"
  FOR EACH STATEMENT EXECUTE FUNCTION "turf_bump_search_index_version"();
