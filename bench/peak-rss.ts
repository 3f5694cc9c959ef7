// Preloaded into every bench by bench/index.ts: prints the process's peak resident memory at exit, so
// each run's memory sits next to its figures.
process.on("exit", () => {
  process.stdout.write(`  peak RSS of this run: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`);
});
