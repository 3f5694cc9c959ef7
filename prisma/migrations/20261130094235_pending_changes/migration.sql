-- CreateEnum
CREATE TYPE "PendingChangeStatus" AS ENUM ('pending', 'applied', 'cancelled');

-- AlterTable
ALTER TABLE "Rule" ADD COLUMN     "effectiveAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "PendingChange" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "fromRepId" TEXT,
    "toRepId" TEXT,
    "ruleId" TEXT,
    "deferral" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "effectiveAt" TIMESTAMP(3) NOT NULL,
    "status" "PendingChangeStatus" NOT NULL DEFAULT 'pending',
    "createdAt" TIMESTAMP(3) NOT NULL,
    "createdBy" TEXT NOT NULL,
    "appliedAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),
    "cancelReason" TEXT,

    CONSTRAINT "PendingChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PendingChange_status_effectiveAt_idx" ON "PendingChange"("status", "effectiveAt");

-- CreateIndex
CREATE UNIQUE INDEX "PendingChange_accountId_toRepId_effectiveAt_key" ON "PendingChange"("accountId", "toRepId", "effectiveAt");

-- AddForeignKey
ALTER TABLE "PendingChange" ADD CONSTRAINT "PendingChange_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

