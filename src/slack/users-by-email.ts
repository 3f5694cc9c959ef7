// users.lookupByEmail as the services need it: a user id, or null when Slack has no such user.
import type { WebClient } from "@slack/web-api";
import type { SlackUserByEmail } from "../services/reps/link-slack-users.ts";

export function slackUserByEmail(client: WebClient): SlackUserByEmail {
  return async (email) => {
    try {
      const found = await client.users.lookupByEmail({ email });
      const user = found.user as { id?: string; is_bot?: boolean; deleted?: boolean } | undefined;
      return user?.id && !user.is_bot && !user.deleted ? user.id : null;
    } catch (error) {
      if ((error as { data?: { error?: string } }).data?.error === "users_not_found") return null;
      throw error;
    }
  };
}
