// App Home's search button: opens the search modal (its submit is search-submit.ts).
import { searchModal } from "../../views/app-home.ts";
import type { ButtonArgs, Handler } from "../table.ts";

export const openSearch: Handler<ButtonArgs> = async ({ ack, body, client }) => {
  await ack();
  await client.views.open({ trigger_id: body.trigger_id, view: searchModal() });
};
