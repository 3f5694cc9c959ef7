// Reading modal input from view_submission payloads: zod at the edge, one value per block.
import { z } from "zod";
import { inputAction } from "../views/disputes/ids.ts";

const ZElementState = z
  .object({
    value: z.string().nullish(),
    selected_user: z.string().nullish(),
    selected_option: z.object({ value: z.string() }).nullish(),
  })
  .loose();

export const ZViewState = z.record(z.string(), z.record(z.string(), ZElementState));
export type ViewState = z.infer<typeof ZViewState>;

/** The text, selected user or selected option value of a block's input; null when empty. */
export function inputValue(state: ViewState, block: string): string | null {
  const element = state[block]?.[inputAction(block)];
  if (!element) return null;
  const value = element.value ?? element.selected_user ?? element.selected_option?.value ?? null;
  return value === null || value === "" ? null : value;
}

export const ZViewBody = z.object({
  user: z.object({ id: z.string() }),
  view: z.object({ private_metadata: z.string(), state: z.object({ values: ZViewState }) }).loose(),
});

export function metadata<T>(schema: z.ZodType<T>, raw: string): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
