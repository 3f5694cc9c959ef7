// Preloaded into every bench by bench/index.ts: prints at exit the share of CPU time the hypervisor
// took for other guests while the bench ran (Linux's "steal" in /proc/stat). Figures from one machine
// are compared with another's, or with an earlier session's, only when their steal is alike: at 14 %
// steal the same code ran the 1M re-evaluation about 1.8 times slower. Nothing is printed where
// /proc/stat does not exist.
import { readFileSync } from "node:fs";

/** The machine's CPU times since boot, in ticks: [steal, all]; null off Linux. */
function cpuTicks(): [number, number] | null {
  try {
    const first = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
    // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest time is within user).
    const ticks = first.trim().split(/\s+/).slice(1, 9).map(Number);
    if (ticks.length < 8 || ticks.some(Number.isNaN)) return null;
    return [ticks[7] as number, ticks.reduce((a, b) => a + b, 0)];
  } catch {
    return null;
  }
}

const start = cpuTicks();
process.on("exit", () => {
  const end = cpuTicks();
  if (start === null || end === null || end[1] === start[1]) return;
  const steal = (100 * (end[0] - start[0])) / (end[1] - start[1]);
  process.stdout.write(`  CPU steal during this run: ${steal.toFixed(1)} %\n`);
});
