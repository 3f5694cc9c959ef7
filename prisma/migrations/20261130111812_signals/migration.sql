-- AlterTable
ALTER TABLE "Territory" ADD COLUMN     "motion" TEXT,
ADD COLUMN     "productLines" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "Signal" (
    "id" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "accountQuery" TEXT NOT NULL,
    "accountId" TEXT,
    "type" TEXT NOT NULL,
    "strength" INTEGER NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "source" TEXT NOT NULL,
    "productLine" TEXT,
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "detail" TEXT,
    "status" TEXT NOT NULL DEFAULT 'received',
    "routedRepId" TEXT,
    "motion" TEXT,
    "reason" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "routedAt" TIMESTAMP(3),

    CONSTRAINT "Signal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignalMessage" (
    "id" TEXT NOT NULL,
    "repId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "signalIds" TEXT[],
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 1,
    "deliveredVersion" INTEGER NOT NULL DEFAULT 0,
    "pending" BOOLEAN NOT NULL DEFAULT true,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "channel" TEXT,
    "ts" TEXT,
    "claimedAt" TIMESTAMP(3),
    "claimedBy" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "deadAt" TIMESTAMP(3),
    "state" TEXT NOT NULL DEFAULT 'new',
    "snoozedUntil" TIMESTAMP(3),
    "firstTouchAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SignalMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccountMotion" (
    "accountId" TEXT NOT NULL,
    "motion" TEXT NOT NULL,
    "repId" TEXT NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AccountMotion_pkey" PRIMARY KEY ("accountId","motion")
);

-- CreateIndex
CREATE UNIQUE INDEX "Signal_idempotencyKey_key" ON "Signal"("idempotencyKey");

-- CreateIndex
CREATE INDEX "Signal_status_receivedAt_idx" ON "Signal"("status", "receivedAt");

-- CreateIndex
CREATE INDEX "Signal_accountId_occurredAt_idx" ON "Signal"("accountId", "occurredAt");

-- CreateIndex
CREATE INDEX "Signal_routedRepId_receivedAt_idx" ON "Signal"("routedRepId", "receivedAt");

-- CreateIndex
CREATE INDEX "SignalMessage_pending_dueAt_idx" ON "SignalMessage"("pending", "dueAt");

-- CreateIndex
CREATE INDEX "SignalMessage_repId_createdAt_idx" ON "SignalMessage"("repId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "SignalMessage_repId_accountId_kind_windowStart_key" ON "SignalMessage"("repId", "accountId", "kind", "windowStart");

-- CreateIndex
CREATE INDEX "AccountMotion_motion_repId_idx" ON "AccountMotion"("motion", "repId");

