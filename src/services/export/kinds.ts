// The exports `turf export` offers; kept apart so the CLI's help loads without the database code.
export const EXPORT_KINDS = ["ownership", "changes", "audit", "disputes", "rebalance", "health"] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
