// Slack's mrkdwn to HTML, as the Slack client shows it: *bold*, _italic_, ~strike~, `code`, ```pre```,
// > quotes, :emoji:, and the angle-bracket tokens: <@U…> (the person's name), <#C…|name>, <!here>,
// <url|label>, and <!date^unix^format|fallback> written in the reader's own time zone.
// Plain ES module: the page imports it as is (no build step), and unit tests import it in Node.

const EMOJI = {
  white_check_mark: "✅",
  heavy_check_mark: "✔️",
  warning: "⚠️",
  x: "❌",
  hourglass: "⌛",
  hourglass_flowing_sand: "⏳",
  alarm_clock: "⏰",
  scales: "⚖️",
  bell: "🔔",
  mag: "🔍",
  memo: "📝",
  arrow_right: "➡️",
  arrow_left: "⬅️",
  arrows_counterclockwise: "🔄",
  bar_chart: "📊",
  chart_with_upwards_trend: "📈",
  chart_with_downwards_trend: "📉",
  information_source: "ℹ️",
  question: "❓",
  rotating_light: "🚨",
  tada: "🎉",
  lock: "🔒",
  pushpin: "📌",
  calendar: "📅",
  busts_in_silhouette: "👥",
  bust_in_silhouette: "👤",
  office: "🏢",
  handshake: "🤝",
  eyes: "👀",
  thumbsup: "👍",
  "+1": "👍",
  red_circle: "🔴",
  large_green_circle: "🟢",
  large_yellow_circle: "🟡",
  large_blue_circle: "🔵",
  white_circle: "⚪",
  speech_balloon: "💬",
  link: "🔗",
  page_facing_up: "📄",
  inbox_tray: "📥",
  outbox_tray: "📤",
  wave: "👋",
  sparkles: "✨",
  no_entry: "⛔",
  stopwatch: "⏱️",
  clipboard: "📋",
  seedling: "🌱",
  globe_with_meridians: "🌐",
};

/** Escapes text for HTML. */
export function escapeHtml(text) {
  return String(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

// Slack escapes &, < and > in message text; the client shows them as the characters.
function decodeEntities(text) {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

const pad = (n) => String(n).padStart(2, "0");

function ordinal(n) {
  const s = n % 100;
  if (s >= 11 && s <= 13) return `${n}th`;
  return `${n}${{ 1: "st", 2: "nd", 3: "rd" }[n % 10] ?? "th"}`;
}

function partsIn(date, timeZone) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "long",
    day: "numeric",
    weekday: "long",
    hour: "numeric",
    minute: "2-digit",
    second: "2-digit",
    hour12: true,
  }).formatToParts(date);
  const get = (type) => parts.find((p) => p.type === type)?.value ?? "";
  const monthNumber = new Intl.DateTimeFormat("en-US", { timeZone, month: "numeric" }).format(date);
  return {
    year: Number(get("year")),
    month: get("month"),
    monthNumber: Number(monthNumber),
    day: Number(get("day")),
    weekday: get("weekday"),
    hour: get("hour"),
    minute: get("minute"),
    second: get("second"),
    dayPeriod: get("dayPeriod"),
  };
}

function dayKey(date, timeZone) {
  const p = partsIn(date, timeZone);
  return `${p.year}-${pad(p.monthNumber)}-${pad(p.day)}`;
}

function relativeDay(date, now, timeZone) {
  const key = dayKey(date, timeZone);
  const day = 86_400_000;
  if (key === dayKey(now, timeZone)) return "today";
  if (key === dayKey(new Date(now.getTime() - day), timeZone)) return "yesterday";
  if (key === dayKey(new Date(now.getTime() + day), timeZone)) return "tomorrow";
  return null;
}

function ago(date, now) {
  const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
  const future = seconds < 0;
  const s = Math.abs(seconds);
  const [n, unit] =
    s < 60
      ? [s, "second"]
      : s < 3600
        ? [Math.floor(s / 60), "minute"]
        : s < 86400
          ? [Math.floor(s / 3600), "hour"]
          : s < 86400 * 30
            ? [Math.floor(s / 86400), "day"]
            : s < 86400 * 365
              ? [Math.floor(s / (86400 * 30)), "month"]
              : [Math.floor(s / (86400 * 365)), "year"];
  const text = `${n} ${unit}${n === 1 ? "" : "s"}`;
  return future ? `in ${text}` : `${text} ago`;
}

/** Formats a `<!date^…>` token's format string for a reader in `timeZone` at `now`. */
export function formatSlackDate(unixSeconds, format, timeZone, now = new Date()) {
  const date = new Date(unixSeconds * 1000);
  const p = partsIn(date, timeZone);
  const shortMonth = p.month.slice(0, 3);
  const values = {
    date_num: `${p.year}-${pad(p.monthNumber)}-${pad(p.day)}`,
    date: `${p.month} ${ordinal(p.day)}, ${p.year}`,
    date_short: `${shortMonth} ${p.day}, ${p.year}`,
    date_long: `${p.weekday}, ${p.month} ${ordinal(p.day)}, ${p.year}`,
    time: `${p.hour}:${p.minute} ${p.dayPeriod}`,
    time_secs: `${p.hour}:${p.minute}:${p.second} ${p.dayPeriod}`,
    ago: ago(date, now),
  };
  const relative = relativeDay(date, now, timeZone);
  values.date_pretty = relative ?? values.date;
  values.date_short_pretty = relative ?? values.date_short;
  values.date_long_pretty = relative ?? values.date_long;
  return format.replace(/\{(\w+)\}/g, (whole, key) => values[key] ?? whole);
}

function renderToken(body, ctx) {
  const [target, label] = splitLabel(body);
  if (target.startsWith("@")) {
    const id = target.slice(1);
    const user = ctx.users?.[id];
    const name = user ?? label ?? id;
    return `<span class="mention${id === ctx.me ? " mention-me" : ""}" data-user="${escapeHtml(id)}">@${escapeHtml(name)}</span>`;
  }
  if (target.startsWith("#")) {
    const id = target.slice(1);
    const name = ctx.channels?.[id] ?? label ?? id;
    return `<span class="mention channel" data-channel="${escapeHtml(id)}">#${escapeHtml(name)}</span>`;
  }
  if (target.startsWith("!date^")) {
    const [, unix, format, link] = target.split("^");
    const seconds = Number(unix);
    if (!Number.isFinite(seconds) || format === undefined) return escapeHtml(label ?? "");
    const text = escapeHtml(formatSlackDate(seconds, format, ctx.timeZone ?? "UTC", ctx.now ?? new Date()));
    return link
      ? `<a href="${escapeHtml(link)}" target="_blank" rel="noopener">${text}</a>`
      : `<span class="slack-date" title="${escapeHtml(new Date(seconds * 1000).toISOString())}">${text}</span>`;
  }
  if (target.startsWith("!subteam^")) return `<span class="mention">@${escapeHtml(label ?? "group")}</span>`;
  if (target.startsWith("!")) {
    const word = target.slice(1);
    return `<span class="mention mention-me">@${escapeHtml(label ?? word)}</span>`;
  }
  if (/^(https?:|mailto:)/i.test(target)) {
    const shown = label ?? target.replace(/^mailto:/i, "");
    return `<a href="${escapeHtml(target)}" target="_blank" rel="noopener noreferrer">${escapeHtml(shown)}</a>`;
  }
  return escapeHtml(`<${body}>`);
}

function splitLabel(body) {
  const bar = body.indexOf("|");
  return bar < 0 ? [body, undefined] : [body.slice(0, bar), decodeEntities(body.slice(bar + 1))];
}

const BOLD = /(^|[^\w*])\*(?!\s)([^*\n]*?[^\s*])\*(?![\w*])/g;
const ITALIC = /(^|[^\w_])_(?!\s)([^_\n]*?[^\s_])_(?![\w_])/g;
const STRIKE = /(^|[^\w~])~(?!\s)([^~\n]*?[^\s~])~(?![\w~])/g;

/**
 * mrkdwn → HTML. ctx: { users: {id: name}, channels: {id: name}, me, timeZone, now }.
 * Set ctx.plain to render a plain_text object (only :emoji: when emoji is on).
 */
export function renderMrkdwn(text, ctx = {}) {
  const held = [];
  const hold = (html) => {
    held.push(html);
    return `\uE000${held.length - 1}\uE000`;
  };
  let s = String(text ?? "");
  // Code first: nothing inside it is formatted.
  s = s.replace(/```([\s\S]*?)```/g, (_, code) =>
    hold(`<pre class="code-block">${escapeHtml(decodeEntities(code.replace(/^\n/, "")))}</pre>`),
  );
  s = s.replace(/`([^`\n]+)`/g, (_, code) => hold(`<code>${escapeHtml(decodeEntities(code))}</code>`));
  s = s.replace(/<([^<>\n]+)>/g, (_, body) => hold(renderToken(body, ctx)));
  s = escapeHtml(decodeEntities(s));
  for (let i = 0; i < 2; i++) {
    s = s.replace(BOLD, "$1<b>$2</b>");
    s = s.replace(ITALIC, "$1<i>$2</i>");
    s = s.replace(STRIKE, "$1<s>$2</s>");
  }
  s = emojify(s);
  // Quotes: consecutive lines starting with ">" form one block.
  const lines = s.split("\n");
  const out = [];
  let quote = [];
  const flush = () => {
    if (quote.length) out.push(`<blockquote>${quote.join("<br>")}</blockquote>`);
    quote = [];
  };
  for (const line of lines) {
    const m = /^&gt;\s?(.*)$/.exec(line);
    if (m) quote.push(m[1]);
    else {
      flush();
      out.push(line);
    }
  }
  flush();
  s = out
    .join("\n")
    .replace(/\n(<blockquote>)/g, "$1")
    .replace(/(<\/blockquote>)\n/g, "$1")
    .replace(/\n/g, "<br>");
  // Restore held pieces (a held piece may itself hold others: tokens inside code are not re-parsed).
  return s.replace(/\uE000(\d+)\uE000/g, (_, i) => held[Number(i)] ?? "");
}

/** A plain_text object: escaped, :emoji: converted when `emoji` is not false. */
export function renderPlain(text, emoji = true) {
  const escaped = escapeHtml(text ?? "");
  return emoji ? emojify(escaped) : escaped;
}

function emojify(s) {
  return s.replace(/:([a-z0-9_+-]+):/g, (whole, name) => EMOJI[name] ?? whole);
}
