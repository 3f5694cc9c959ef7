// Property tests run with a fixed seed so the suite is deterministic in CI; set FC_SEED to explore
// other random books locally (a failure prints the seed and the shrunk counterexample).
import fc from "fast-check";

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261123) });
