// /rebalance: managers preview the draft in a modal, page through its moves, and publish it.
import { REBALANCE_VIEW } from "../../views/rebalance/preview-modal.ts";
import type { ListenerTable } from "../table.ts";
import { draftAnyway } from "./draft-anyway.ts";
import { previewCommand } from "./preview-command.ts";
import { publishSubmit } from "./publish-submit.ts";
import { turnPage } from "./turn-page.ts";

export const rebalanceListeners: ListenerTable = {
  commands: { "/rebalance": previewCommand },
  actions: {
    [REBALANCE_VIEW.nextPage]: turnPage, // rebalance_next_page
    [REBALANCE_VIEW.previousPage]: turnPage, // rebalance_previous_page
    [REBALANCE_VIEW.draftAnyway]: draftAnyway, // rebalance_draft_anyway
  },
  views: { [REBALANCE_VIEW.callbackId]: publishSubmit }, // rebalance_preview
};
