-- DropIndex
DROP INDEX "Ownership_accountId_effectiveTo_idx";

-- DropIndex
DROP INDEX "Ownership_repId_effectiveTo_idx";

-- CreateIndex
CREATE INDEX "Ownership_accountId_idx" ON "Ownership"("accountId");

-- CreateIndex
CREATE INDEX "Ownership_repId_idx" ON "Ownership"("repId");

-- Room on each page for the row versions that closing an ownership makes, so those updates stay HOT
-- (no new index entries). Pages written from now on keep it; pages already full gain it as their old
-- versions are pruned.
ALTER TABLE "Ownership" SET (fillfactor = 80);
