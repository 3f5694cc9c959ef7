// The ownership rules engine's public surface; import from here rather than the individual files.

export * from "./analysis.ts";
export * from "./describe.ts";
export * from "./engine.ts";
export * from "./matcher.ts";
export * from "./rule.ts";
export * from "./rule-file.ts";
