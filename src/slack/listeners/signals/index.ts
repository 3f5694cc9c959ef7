// Signal DMs: the rep's three buttons (src/slack/views/signals/signal-message.ts).
import { SIGNAL_ACTION } from "../../views/signals/signal-message.ts";
import type { ListenerTable } from "../table.ts";
import { signalButton } from "./act-on-signal.ts";

export const signalListeners: ListenerTable = {
  actions: {
    [SIGNAL_ACTION.working]: signalButton("working"),
    [SIGNAL_ACTION.notMine]: signalButton("not_mine"),
    [SIGNAL_ACTION.snooze]: signalButton("snoozed"),
  },
};
