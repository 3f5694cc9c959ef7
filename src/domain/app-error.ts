// One error vocabulary for the whole app. A use case that says "no" returns a Refusal inside a
// Result; only programming and infrastructure failures are thrown.
//   code        — stable, for branching, logs and tests ("not_authorized", "quarter_started", …)
//   message     — for operators: logs and the CLI; may name ids
//   userMessage — the only thing a rep ever sees in Slack: plain words, something they can act on

export type Refusal<C extends string = string> = { code: C; message: string; userMessage: string };

/** An expected outcome travels as a value: the result, or why not. */
export type Result<T, E = Refusal> = { ok: true; value: T } | { ok: false; error: E };

export type Refused<E = Refusal> = { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const err = <E>(error: E): Refused<E> => ({ ok: false, error });

/** A refusal as a Result: `return refuse("not_found", "no rebalance r-1", "That rebalance no longer exists.")`. */
export function refuse<C extends string>(code: C, message: string, userMessage: string): Refused<Refusal<C>> {
  return { ok: false, error: { code, message, userMessage } };
}

/** A Refusal that has to cross a boundary as an exception; listeners show its userMessage. */
export class AppError extends Error implements Refusal {
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

/** What a listener shows for a thrown error: an AppError's userMessage, else the generic apology. */
export function userMessageOf(error: unknown): string {
  return error instanceof AppError ? error.userMessage : GENERIC_USER_MESSAGE;
}
