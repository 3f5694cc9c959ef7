// Slack renders <!date^…> in each reader's own time zone; the fallback is for clients that can't.
export function slackDate(at: Date, format = "{date_short}"): string {
  const unix = Math.floor(at.getTime() / 1000);
  return `<!date^${unix}^${format}|${at.toISOString().slice(0, 10)}>`;
}

export function slackDateTime(at: Date): string {
  return slackDate(at, "{date_short} at {time}");
}
