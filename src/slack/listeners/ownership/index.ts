// "Who owns this account?": /owner, the buttons on an answer, App Home search, @mentions and the
// message shortcut. `/owner dispute …` starts in ownerCommand and continues in present/open-filing.ts.
import { HOME_ACTION, SEARCH_MODAL } from "../../views/app-home.ts";
import { ACTION } from "../../views/owner-answer.ts";
import type { ListenerTable } from "../table.ts";
import { appMention } from "./app-mention.ts";
import { chooseAccount } from "./choose-account.ts";
import { explainAnswer } from "./explain-answer.ts";
import { openSearch } from "./open-search.ts";
import { ownerCommand } from "./owner-command.ts";
import { repeatLookup } from "./repeat-lookup.ts";
import { searchSubmit } from "./search-submit.ts";
import { shareAnswer } from "./share-answer.ts";
import { WHO_OWNS_THIS, whoOwnsThis } from "./who-owns-this.ts";

export const ownershipListeners: ListenerTable = {
  commands: { "/owner": ownerCommand },
  actions: {
    [ACTION.shareAnswer]: shareAnswer, // owner_share_answer
    [ACTION.chooseAccount]: chooseAccount, // owner_choose_account
    [ACTION.why]: explainAnswer, // owner_why
    [HOME_ACTION.openSearch]: openSearch, // home_open_search
    [HOME_ACTION.repeatLookup]: repeatLookup, // home_repeat_lookup
  },
  views: { [SEARCH_MODAL.callbackId]: searchSubmit }, // owner_search
  shortcuts: { [WHO_OWNS_THIS]: whoOwnsThis }, // who_owns_this
  events: { app_mention: appMention },
};
