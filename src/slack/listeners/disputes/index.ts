// Every dispute surface: filing (button and modal), the arbiter's buttons and modals, the
// claimant's thread replies and the manager's sign-off. `/owner dispute …` and `/owner disputes`
// arrive through the /owner command (ownership/owner-command.ts).
import { DISPUTE_ACTION, DISPUTE_VIEW } from "../../views/disputes/ids.ts";
import { ACTION } from "../../views/owner-answer.ts";
import type { ListenerTable } from "../table.ts";
import { arbiterButton } from "./arbiter-button.ts";
import { askSubmit } from "./ask-submit.ts";
import { decideSubmit } from "./decide-submit.ts";
import { disputeThis } from "./dispute-this.ts";
import { fileSubmit } from "./file-submit.ts";
import { infoReply } from "./info-reply.ts";
import { signOff } from "./sign-off.ts";
import { withdraw } from "./withdraw.ts";

export const disputeListeners: ListenerTable = {
  actions: {
    [ACTION.disputeThis]: disputeThis, // owner_dispute_this
    [DISPUTE_ACTION.keep]: arbiterButton("keep"), // dispute_keep
    [DISPUTE_ACTION.transfer]: arbiterButton("transfer"), // dispute_transfer
    [DISPUTE_ACTION.askInfo]: arbiterButton("ask"), // dispute_ask_info
    [DISPUTE_ACTION.signOff]: signOff, // dispute_sign_off
    [DISPUTE_ACTION.withdraw]: withdraw, // dispute_withdraw (claimant only)
  },
  views: {
    [DISPUTE_VIEW.file]: fileSubmit, // dispute_file
    [DISPUTE_VIEW.decide]: decideSubmit, // dispute_decide
    [DISPUTE_VIEW.ask]: askSubmit, // dispute_ask
  },
  // message.im: a claimant's reply in the thread of an arbiter's question.
  events: { message: infoReply },
};
