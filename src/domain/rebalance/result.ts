// The rebalance model's expected failures use the app's one Result type (domain/app-error.ts); its
// errors are { code, message } for the use case to turn into a Refusal.
export { err, ok, type Result } from "../app-error.ts";
