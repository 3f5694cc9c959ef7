// The refusal every rebalance surface gives a rep who is not a manager or admin.
export const MANAGERS_ONLY =
  "Rebalancing is for sales managers and RevOps admins, so this one isn't available to you. Your manager can share the preview, and you'll get a DM with the scores if your book changes.";
