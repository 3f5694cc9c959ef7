-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateEnum
CREATE TYPE "SizeBand" AS ENUM ('SMB', 'MM', 'ENT');

-- CreateEnum
CREATE TYPE "TerritoryModel" AS ENUM ('geographic', 'vertical', 'size', 'named', 'hybrid');

-- CreateEnum
CREATE TYPE "OpportunitySource" AS ENUM ('direct', 'reseller');

-- CreateEnum
CREATE TYPE "RuleKind" AS ENUM ('decision', 'named', 'overlap', 'territory', 'manual');

-- CreateEnum
CREATE TYPE "OwnershipCause" AS ENUM ('import', 'rule', 'dispute', 'rebalance', 'manual', 'stale', 'white_space');

-- CreateEnum
CREATE TYPE "DisputeCategory" AS ENUM ('international_expansion', 'reseller_channel', 'named_account', 'parent_subsidiary', 'segment_change', 'other');

-- CreateEnum
CREATE TYPE "DisputeStatus" AS ENUM ('open', 'info_requested', 'resolved', 'escalated', 'withdrawn');

-- CreateEnum
CREATE TYPE "DisputeDecision" AS ENUM ('keep', 'transfer');

-- CreateEnum
CREATE TYPE "RebalanceStatus" AS ENUM ('draft', 'published', 'applied');

-- CreateTable
CREATE TABLE "Rep" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "slackUserId" TEXT,
    "team" TEXT,
    "roles" TEXT[],
    "capacityWeight" DOUBLE PRECISION NOT NULL DEFAULT 1.0,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Rep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Territory" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "model" "TerritoryModel" NOT NULL,
    "regions" TEXT[],
    "industries" TEXT[],
    "sizeBands" "SizeBand"[],
    "arbiterRepId" TEXT,
    "backupArbiterRepId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Territory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RepTerritory" (
    "repId" TEXT NOT NULL,
    "territoryId" TEXT NOT NULL,

    CONSTRAINT "RepTerritory_pkey" PRIMARY KEY ("repId","territoryId")
);

-- CreateTable
CREATE TABLE "Account" (
    "id" TEXT NOT NULL,
    "crmId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "normalizedName" TEXT NOT NULL,
    "compactName" TEXT NOT NULL,
    "coreName" TEXT NOT NULL,
    "acronym" TEXT,
    "parentId" TEXT,
    "country" TEXT,
    "region" TEXT,
    "industry" TEXT,
    "employees" INTEGER,
    "sizeBand" "SizeBand",
    "icpFit" INTEGER,
    "lastActivityAt" TIMESTAMP(3),
    "named" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccountDomain" (
    "domain" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,

    CONSTRAINT "AccountDomain_pkey" PRIMARY KEY ("accountId","domain")
);

-- CreateTable
CREATE TABLE "Opportunity" (
    "id" TEXT NOT NULL,
    "crmId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "ownerRepId" TEXT,
    "amount" DECIMAL(14,2) NOT NULL,
    "stage" TEXT NOT NULL,
    "isOpen" BOOLEAN NOT NULL,
    "source" "OpportunitySource" NOT NULL DEFAULT 'direct',
    "reseller" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Opportunity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Ownership" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "repId" TEXT,
    "effectiveFrom" TIMESTAMP(3) NOT NULL,
    "effectiveTo" TIMESTAMP(3),
    "ruleId" TEXT,
    "cause" "OwnershipCause" NOT NULL,
    "causeRef" TEXT,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Ownership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Rule" (
    "id" TEXT NOT NULL,
    "kind" "RuleKind" NOT NULL,
    "overlap" JSONB,
    "matcher" JSONB NOT NULL,
    "outcome" JSONB NOT NULL,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "text" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabledAt" TIMESTAMP(3),
    "disabledBy" TEXT,
    "disputeId" TEXT,

    CONSTRAINT "Rule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Dispute" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "claimantRepId" TEXT NOT NULL,
    "currentOwnerRepId" TEXT,
    "proposedOwnerRepId" TEXT NOT NULL,
    "category" "DisputeCategory" NOT NULL,
    "reason" TEXT NOT NULL,
    "evidence" TEXT,
    "opportunityLink" TEXT,
    "arbiterRepId" TEXT NOT NULL,
    "backupArbiterRepId" TEXT,
    "status" "DisputeStatus" NOT NULL DEFAULT 'open',
    "openedAt" TIMESTAMP(3) NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "decision" "DisputeDecision",
    "decisionText" TEXT,
    "decidedAt" TIMESTAMP(3),
    "decidedByRepId" TEXT,
    "resultingRuleId" TEXT,
    "decisionScope" JSONB,
    "arbiterCardChannel" TEXT,
    "arbiterCardTs" TEXT,
    "signOffRequired" BOOLEAN NOT NULL DEFAULT false,
    "signOffDueAt" TIMESTAMP(3),
    "signedOffAt" TIMESTAMP(3),
    "signedOffByRepId" TEXT,
    "signOffExpiredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Dispute_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DisputeNotice" (
    "id" TEXT NOT NULL,
    "disputeId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "claimedAt" TIMESTAMP(3),
    "claimedBy" TEXT,
    "sentAt" TIMESTAMP(3),
    "skippedAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,

    CONSTRAINT "DisputeNotice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DisputeNote" (
    "id" TEXT NOT NULL,
    "disputeId" TEXT NOT NULL,
    "authorRepId" TEXT,
    "kind" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "slackTs" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DisputeNote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ArbiterAssignment" (
    "team" TEXT NOT NULL,
    "arbiterRepId" TEXT NOT NULL,
    "backupArbiterRepId" TEXT,

    CONSTRAINT "ArbiterAssignment_pkey" PRIMARY KEY ("team")
);

-- CreateTable
CREATE TABLE "Rebalance" (
    "id" TEXT NOT NULL,
    "quarter" TEXT NOT NULL,
    "status" "RebalanceStatus" NOT NULL DEFAULT 'draft',
    "mode" TEXT NOT NULL DEFAULT 'quarterly',
    "parameters" JSONB NOT NULL,
    "summary" JSONB NOT NULL,
    "effectiveFrom" TIMESTAMP(3) NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedAt" TIMESTAMP(3),
    "publishedBy" TEXT,
    "appliedAt" TIMESTAMP(3),

    CONSTRAINT "Rebalance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RebalanceMove" (
    "id" TEXT NOT NULL,
    "rebalanceId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "fromRepId" TEXT,
    "toRepId" TEXT NOT NULL,
    "allocationIdx" DOUBLE PRECISION NOT NULL,
    "factors" JSONB NOT NULL,
    "appliedAt" TIMESTAMP(3),
    "heldReason" TEXT,

    CONSTRAINT "RebalanceMove_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "ruleId" TEXT,
    "details" JSONB NOT NULL,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Lookup" (
    "id" TEXT NOT NULL,
    "slackUserId" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "accountId" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Lookup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SlackEvent" (
    "eventId" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SlackEvent_pkey" PRIMARY KEY ("eventId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Rep_email_key" ON "Rep"("email");

-- CreateIndex
CREATE UNIQUE INDEX "Rep_slackUserId_key" ON "Rep"("slackUserId");

-- CreateIndex
CREATE UNIQUE INDEX "Territory_name_key" ON "Territory"("name");

-- CreateIndex
CREATE INDEX "RepTerritory_territoryId_idx" ON "RepTerritory"("territoryId");

-- CreateIndex
CREATE UNIQUE INDEX "Account_crmId_key" ON "Account"("crmId");

-- CreateIndex
CREATE INDEX "Account_parentId_idx" ON "Account"("parentId");

-- CreateIndex
CREATE INDEX "Account_acronym_idx" ON "Account"("acronym");

-- CreateIndex
CREATE INDEX "Account_compactName_idx" ON "Account"("compactName");

-- CreateIndex
CREATE INDEX "Account_coreName_idx" ON "Account"("coreName");

-- CreateIndex
CREATE INDEX "Account_compactName_trgm_idx" ON "Account" USING GIN ("compactName" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "AccountDomain_domain_idx" ON "AccountDomain"("domain");

-- CreateIndex
CREATE INDEX "AccountDomain_label_idx" ON "AccountDomain"("label");

-- CreateIndex
CREATE UNIQUE INDEX "Opportunity_crmId_key" ON "Opportunity"("crmId");

-- CreateIndex
CREATE INDEX "Opportunity_accountId_isOpen_idx" ON "Opportunity"("accountId", "isOpen");

-- CreateIndex
CREATE INDEX "Opportunity_ownerRepId_idx" ON "Opportunity"("ownerRepId");

-- CreateIndex
CREATE INDEX "Ownership_accountId_effectiveTo_idx" ON "Ownership"("accountId", "effectiveTo");

-- CreateIndex
CREATE INDEX "Ownership_repId_effectiveTo_idx" ON "Ownership"("repId", "effectiveTo");

-- CreateIndex
CREATE UNIQUE INDEX "Rule_disputeId_key" ON "Rule"("disputeId");

-- CreateIndex
CREATE INDEX "Rule_kind_active_idx" ON "Rule"("kind", "active");

-- CreateIndex
CREATE INDEX "Dispute_accountId_claimantRepId_status_idx" ON "Dispute"("accountId", "claimantRepId", "status");

-- CreateIndex
CREATE INDEX "Dispute_arbiterRepId_status_idx" ON "Dispute"("arbiterRepId", "status");

-- CreateIndex
CREATE INDEX "Dispute_status_dueAt_idx" ON "Dispute"("status", "dueAt");

-- CreateIndex
CREATE INDEX "DisputeNotice_sentAt_dueAt_idx" ON "DisputeNotice"("sentAt", "dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "DisputeNotice_disputeId_kind_key" ON "DisputeNotice"("disputeId", "kind");

-- CreateIndex
CREATE INDEX "DisputeNote_disputeId_idx" ON "DisputeNote"("disputeId");

-- CreateIndex
CREATE INDEX "Rebalance_quarter_status_idx" ON "Rebalance"("quarter", "status");

-- CreateIndex
CREATE INDEX "RebalanceMove_toRepId_idx" ON "RebalanceMove"("toRepId");

-- CreateIndex
CREATE INDEX "RebalanceMove_fromRepId_idx" ON "RebalanceMove"("fromRepId");

-- CreateIndex
CREATE UNIQUE INDEX "RebalanceMove_rebalanceId_accountId_key" ON "RebalanceMove"("rebalanceId", "accountId");

-- CreateIndex
CREATE INDEX "AuditEvent_subjectType_subjectId_idx" ON "AuditEvent"("subjectType", "subjectId");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- CreateIndex
CREATE INDEX "Lookup_slackUserId_at_idx" ON "Lookup"("slackUserId", "at");

-- AddForeignKey
ALTER TABLE "RepTerritory" ADD CONSTRAINT "RepTerritory_repId_fkey" FOREIGN KEY ("repId") REFERENCES "Rep"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RepTerritory" ADD CONSTRAINT "RepTerritory_territoryId_fkey" FOREIGN KEY ("territoryId") REFERENCES "Territory"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Account" ADD CONSTRAINT "Account_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Account"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccountDomain" ADD CONSTRAINT "AccountDomain_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Opportunity" ADD CONSTRAINT "Opportunity_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Opportunity" ADD CONSTRAINT "Opportunity_ownerRepId_fkey" FOREIGN KEY ("ownerRepId") REFERENCES "Rep"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ownership" ADD CONSTRAINT "Ownership_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ownership" ADD CONSTRAINT "Ownership_repId_fkey" FOREIGN KEY ("repId") REFERENCES "Rep"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ownership" ADD CONSTRAINT "Ownership_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "Rule"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Dispute" ADD CONSTRAINT "Dispute_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DisputeNotice" ADD CONSTRAINT "DisputeNotice_disputeId_fkey" FOREIGN KEY ("disputeId") REFERENCES "Dispute"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DisputeNote" ADD CONSTRAINT "DisputeNote_disputeId_fkey" FOREIGN KEY ("disputeId") REFERENCES "Dispute"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RebalanceMove" ADD CONSTRAINT "RebalanceMove_rebalanceId_fkey" FOREIGN KEY ("rebalanceId") REFERENCES "Rebalance"("id") ON DELETE CASCADE ON UPDATE CASCADE;

