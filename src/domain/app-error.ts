// One error type for the whole app: a code for logs and tests, an internal message for operators,
// and a userMessage that is the only thing a rep ever sees in Slack.
export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: string,
    message: string,
    readonly userMessage: string,
  ) {
    super(message);
  }
}

export const GENERIC_USER_MESSAGE =
  "Something went wrong on Turf's side and nothing was changed. Please try again in a minute; if it keeps happening, tell RevOps.";

export function userMessageOf(error: unknown): string {
  return error instanceof AppError ? error.userMessage : GENERIC_USER_MESSAGE;
}
