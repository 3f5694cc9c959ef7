// The playground's clock: real time plus an offset the page can move forward, so the 48-hour
// reminders, escalation, sign-off and a rebalance's effective date can be watched without waiting.
import { type Clock, systemClock } from "../config/clock.ts";

export type MovableClock = Clock & {
  /** Moves time forward by ms (never back: deadlines already passed stay passed). */
  advance(ms: number): void;
  /** Moves time forward to `at`; false when `at` is not in the future. */
  jumpTo(at: Date): boolean;
  offsetMs(): number;
};

export function movableClock(base: Clock = systemClock): MovableClock {
  let offset = 0;
  return {
    now: () => new Date(base.now().getTime() + offset),
    advance(ms) {
      if (ms > 0) offset += ms;
    },
    jumpTo(at) {
      const delta = at.getTime() - (base.now().getTime() + offset);
      if (delta <= 0) return false;
      offset += delta;
      return true;
    },
    offsetMs: () => offset,
  };
}
