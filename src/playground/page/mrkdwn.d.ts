// Types for the page's mrkdwn renderer (plain JS so the browser loads it without a build step).
export type MrkdwnContext = {
  /** Slack user id → the name shown for `<@U…>`. */
  users?: Record<string, string>;
  /** Channel id → name shown for `<#C…>`. */
  channels?: Record<string, string>;
  /** The reader's user id: mentions of them are highlighted. */
  me?: string;
  /** The reader's IANA time zone, for `<!date^…>`. */
  timeZone?: string;
  now?: Date;
};
export function escapeHtml(text: string): string;
export function formatSlackDate(unixSeconds: number, format: string, timeZone: string, now?: Date): string;
export function renderMrkdwn(text: string, ctx?: MrkdwnContext): string;
export function renderPlain(text: string, emoji?: boolean): string;
