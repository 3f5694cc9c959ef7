// How signals are routed and delivered; parsed from the environment once (src/config/env.ts).
import type { SizeBand } from "../../domain/model.ts";
import {
  DEFAULT_QUIET_HOURS,
  DEFAULT_SIGNAL_POLICY,
  type QuietHours,
  type SignalRoutingPolicy,
} from "../../domain/signals/index.ts";

export type SignalSettings = {
  policy: SignalRoutingPolicy;
  /** Signals on one account within this many minutes update one message. */
  windowMinutes: number;
  quietHours: QuietHours;
};

export const DEFAULT_SIGNAL_SETTINGS: SignalSettings = {
  policy: DEFAULT_SIGNAL_POLICY,
  windowMinutes: 60,
  quietHours: DEFAULT_QUIET_HOURS,
};

export function signalSettings(input: {
  minIcpFit?: number;
  sizeBands?: SizeBand[];
  staleDays?: number;
  stalePolicy?: "reassign" | "owner";
  windowMinutes?: number;
  quietHours?: QuietHours;
}): SignalSettings {
  return {
    policy: {
      minIcpFit: input.minIcpFit ?? DEFAULT_SIGNAL_POLICY.minIcpFit,
      sizeBands: input.sizeBands ?? DEFAULT_SIGNAL_POLICY.sizeBands,
      staleDays: input.staleDays ?? DEFAULT_SIGNAL_POLICY.staleDays,
      stalePolicy: input.stalePolicy ?? DEFAULT_SIGNAL_POLICY.stalePolicy,
    },
    windowMinutes: input.windowMinutes ?? DEFAULT_SIGNAL_SETTINGS.windowMinutes,
    quietHours: input.quietHours ?? DEFAULT_QUIET_HOURS,
  };
}

export function signalSettingsFromEnv(env: {
  TURF_SIGNAL_MIN_ICP_FIT: number;
  TURF_SIGNAL_SIZE_BANDS: SizeBand[];
  TURF_SIGNAL_STALE_POLICY: "reassign" | "owner";
  TURF_SIGNAL_WINDOW_MINUTES: number;
}): SignalSettings {
  return signalSettings({
    minIcpFit: env.TURF_SIGNAL_MIN_ICP_FIT,
    sizeBands: env.TURF_SIGNAL_SIZE_BANDS,
    stalePolicy: env.TURF_SIGNAL_STALE_POLICY,
    windowMinutes: env.TURF_SIGNAL_WINDOW_MINUTES,
  });
}
