// The playground's Slack client: a person switcher, channels, the Turf app (Home and Messages),
// threads, modals and a clock control. It only shows what the local Slack keeps and sends what a
// Slack client would; the real Turf app answers.
import { renderBlocks, seedState } from "./blocks.js";
import { escapeHtml, renderMrkdwn } from "./mrkdwn.js";

const $ = (id) => document.getElementById(id);

const DEFAULT_PEOPLE = ["hannah", "dana", "morgan", "marcus"];

const ui = {
  me: new URLSearchParams(location.search).get("as") ?? localStorage.getItem("turf-playground-as"),
  nav: { kind: "channel", id: "C0SALES001" },
  thread: null,
  data: null,
  keys: {},
  modalStates: {},
  messageStates: {},
  homeState: {},
  dismissed: new Set(),
  lastSeen: {},
  loading: null,
  again: false,
};

async function api(path, body) {
  const res = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user: ui.me, ...body }),
  });
  const answer = await res.json().catch(() => ({ ok: false, error: `HTTP ${res.status}` }));
  if (!res.ok || answer.ok === false) {
    toast(answer.error ?? `HTTP ${res.status}`);
    return null;
  }
  return answer;
}

let toastTimer;
function toast(text) {
  const t = $("toast");
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    t.hidden = true;
  }, 4000);
}

// ---- loading ------------------------------------------------------------------------------------

async function load() {
  if (ui.loading) {
    ui.again = true;
    return ui.loading;
  }
  ui.loading = (async () => {
    do {
      ui.again = false;
      // An unknown or missing person (an old link) gets the playground's default rep.
      const asked = ui.me;
      const res = await fetch(`/pg/state?user=${encodeURIComponent(asked ?? "")}`);
      if (!res.ok) return;
      const data = await res.json();
      // The person was switched while this answer was on its way: it is someone else's view.
      if (ui.me !== asked) {
        ui.again = true;
        continue;
      }
      ui.data = data;
      ui.me = data.me;
      render();
    } while (ui.again);
  })();
  try {
    await ui.loading;
  } finally {
    ui.loading = null;
  }
}

function connect() {
  const source = new EventSource("/pg/events");
  source.onmessage = () => void load();
  source.onerror = () => {
    // The browser reconnects by itself; state is reloaded when it does.
  };
}

// ---- context for renderers ----------------------------------------------------------------------

function me() {
  return ui.data.users.find((u) => u.id === ui.me);
}

function ctxBase() {
  const d = ui.data;
  return {
    users: Object.fromEntries(d.users.map((u) => [u.id, u.realName])),
    channels: Object.fromEntries(d.channels.map((c) => [c.id, c.name])),
    me: ui.me,
    timeZone: me()?.tz ?? "UTC",
    now: new Date(d.now),
    people: d.users.filter((u) => !u.isBot),
    channelList: d.channels.filter((c) => c.kind === "channel"),
  };
}

const dmId = () => `D${ui.me.slice(1)}`;

function currentChannel() {
  if (ui.nav.kind === "channel") return ui.nav.id;
  if (ui.nav.kind === "app" && ui.nav.tab === "messages") return dmId();
  return null;
}

function timeOf(ts) {
  const date = new Date(Number(ts.split(".")[0]) * 1000);
  return new Intl.DateTimeFormat("en-US", {
    timeZone: me()?.tz ?? "UTC",
    hour: "numeric",
    minute: "2-digit",
  }).format(date);
}

function dayOf(ts) {
  const date = new Date(Number(ts.split(".")[0]) * 1000);
  return new Intl.DateTimeFormat("en-US", {
    timeZone: me()?.tz ?? "UTC",
    weekday: "long",
    month: "long",
    day: "numeric",
  }).format(date);
}

function initials(name) {
  return name
    .split(/\s+/)
    .map((w) => w[0] ?? "")
    .join("")
    .slice(0, 2)
    .toUpperCase();
}

const COLORS = ["#e8912d", "#2bac76", "#1d9bd1", "#e01e5a", "#4a154b", "#36c5f0", "#8a5b2b", "#5b6ee1"];
function colorOf(id) {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return COLORS[h % COLORS.length];
}

// ---- render -------------------------------------------------------------------------------------

function changed(part, value) {
  const key = JSON.stringify(value);
  if (ui.keys[part] === key) return false;
  ui.keys[part] = key;
  return true;
}

function render() {
  const d = ui.data;
  if (!d) return;
  renderTopbar();
  renderSidebar();
  renderPane();
  renderThread();
  renderModals();
  document.title = `${navTitle()} · Turf playground`;
  void d;
}

function navTitle() {
  if (ui.nav.kind === "channel") return `#${ui.data.channels.find((c) => c.id === ui.nav.id)?.name ?? ""}`;
  return `Turf · ${ui.nav.tab === "home" ? "Home" : "Messages"}`;
}

function renderTopbar() {
  const d = ui.data;
  if (changed("switcher", [d.users.map((u) => u.id), ui.me])) {
    const select = $("as-user");
    select.innerHTML = "";
    const people = d.users.filter((u) => !u.isBot);
    // The four people the stories need first: two reps, the arbiter, a manager.
    const featured = DEFAULT_PEOPLE.map((n) => people.find((u) => u.name === n)).filter(Boolean);
    const rest = people.filter((u) => !featured.includes(u));
    for (const [label, group] of [
      ["Try as", featured],
      ["Everyone else", rest],
    ]) {
      const og = document.createElement("optgroup");
      og.label = label;
      for (const u of group) {
        const o = document.createElement("option");
        o.value = u.id;
        o.textContent = `${u.realName} — ${u.title}`;
        if (u.id === ui.me) o.selected = true;
        og.append(o);
      }
      select.append(og);
    }
  }
  const now = new Date(d.now);
  const zone = me()?.tz ?? "UTC";
  const shown = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    weekday: "short",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(now);
  const days = d.offsetMs / 86_400_000;
  const ahead =
    d.offsetMs > 0
      ? ` · +${days >= 1 ? `${Math.round(days * 10) / 10} d` : `${Math.round(d.offsetMs / 3_600_000)} h`}`
      : "";
  $("clock-now").textContent = `Turf time: ${shown}${ahead}`;
  $("clock-now").title = `Playground time ${now.toISOString()} (in ${zone})`;
  const jump = $("jump-effective");
  jump.disabled = !d.effectiveDate;
  jump.title = d.effectiveDate
    ? `Move the clock to ${new Date(d.effectiveDate).toISOString().slice(0, 10)}, when the published rebalance applies`
    : "No published rebalance is waiting for its effective date";
}

function unread(channel) {
  const seen = ui.lastSeen[`${ui.me}:${channel}`] ?? "0";
  return ui.data.messages.filter(
    (m) => m.channel === channel && !m.threadTs && m.user !== ui.me && m.ts > seen,
  ).length;
}

function renderSidebar() {
  const d = ui.data;
  const current = currentChannel();
  if (current) {
    const last = d.messages.filter((m) => m.channel === current).at(-1);
    if (last) ui.lastSeen[`${ui.me}:${current}`] = last.ts;
  }
  const channels = d.channels.filter((c) => c.kind === "channel");
  const items = channels.map((c) => ({
    id: c.id,
    label: `# ${c.name}`,
    unread: unread(c.id),
    active: ui.nav.kind === "channel" && ui.nav.id === c.id,
  }));
  const dmUnread = unread(dmId());
  if (!changed("sidebar", [items, dmUnread, ui.nav])) return;
  const nav = $("nav-channels");
  nav.innerHTML = "";
  for (const item of items) {
    const a = document.createElement("button");
    a.type = "button";
    a.className = `nav-item${item.active ? " active" : ""}${item.unread ? " unread" : ""}`;
    a.dataset.nav = item.id;
    a.innerHTML = `<span>${escapeHtml(item.label)}</span>${item.unread ? `<span class="badge-count">${item.unread}</span>` : ""}`;
    a.addEventListener("click", () => go({ kind: "channel", id: item.id }));
    nav.append(a);
  }
  const apps = $("nav-apps");
  apps.innerHTML = "";
  const app = document.createElement("button");
  app.type = "button";
  app.className = `nav-item app-item${ui.nav.kind === "app" ? " active" : ""}${dmUnread ? " unread" : ""}`;
  app.dataset.nav = "app";
  app.innerHTML = `<span class="app-icon small">T</span><span>Turf</span>${dmUnread ? `<span class="badge-count">${dmUnread}</span>` : ""}`;
  app.addEventListener("click", () => go({ kind: "app", tab: "home" }));
  apps.append(app);
}

function go(nav) {
  ui.nav = nav;
  ui.thread = null;
  ui.keys = {};
  if (nav.kind === "app" && nav.tab === "home") void api("/pg/home", {});
  render();
  const input = $("composer-input");
  input.placeholder = nav.kind === "channel" ? `Message ${navTitle()}` : "Message Turf";
}

function renderPane() {
  const d = ui.data;
  const header = $("pane-header");
  const body = $("pane-body");
  const composer = $("composer");
  if (ui.nav.kind === "app") {
    if (changed("pane-header", [ui.nav])) {
      header.innerHTML = `<div class="app-header"><span class="app-icon">T</span><div><div class="pane-title">Turf <span class="badge-app">APP</span></div></div></div>
        <div class="tabs" role="tablist"><button type="button" role="tab" data-tab="home" class="tab${ui.nav.tab === "home" ? " active" : ""}">Home</button><button type="button" role="tab" data-tab="messages" class="tab${ui.nav.tab === "messages" ? " active" : ""}">Messages</button></div>`;
      for (const b of header.querySelectorAll("[data-tab]"))
        b.addEventListener("click", () => go({ kind: "app", tab: b.dataset.tab }));
    }
    if (ui.nav.tab === "home") {
      composer.hidden = true;
      if (!changed("pane-body", [d.home, d.now.slice(0, 16), ui.me])) return;
      body.innerHTML = "";
      body.className = "pane-body home";
      if (!d.home) {
        body.innerHTML = `<div class="empty">Opening Turf's Home…</div>`;
        return;
      }
      seedState(d.home.view.blocks, ui.homeState);
      const ctx = {
        ...ctxBase(),
        state: ui.homeState,
        onAction: (block, element, value) =>
          sendAction({ viewId: d.home.id, block, element, value, state: ui.homeState }),
      };
      body.append(renderBlocks(d.home.view.blocks, ctx));
      return;
    }
  } else if (changed("pane-header", [ui.nav])) {
    const c = d.channels.find((x) => x.id === ui.nav.id);
    header.innerHTML = `<div class="pane-title"># ${escapeHtml(c?.name ?? "")}</div><div class="pane-topic">${escapeHtml(c?.topic ?? "")}</div>`;
  }
  composer.hidden = false;
  body.className = "pane-body";
  const channel = currentChannel();
  const messages = d.messages.filter((m) => m.channel === channel && !m.threadTs && !ui.dismissed.has(m.ts));
  const replies = d.messages.filter((m) => m.channel === channel && m.threadTs);
  if (
    !changed("pane-body", [
      channel,
      messages,
      replies.map((r) => [r.threadTs, r.ts, r.user]),
      d.now.slice(0, 16),
      ui.me,
    ])
  )
    return;
  const atBottom =
    body.scrollHeight - body.scrollTop - body.clientHeight < 40 || ui.keys.lastChannel !== channel;
  ui.keys.lastChannel = channel;
  body.innerHTML = "";
  const list = document.createElement("div");
  list.className = "messages";
  if (messages.length === 0) {
    list.innerHTML =
      channel === dmId()
        ? `<div class="empty">This is the very beginning of your direct messages with <b>Turf</b>. Disputes, decisions and rebalance news arrive here.</div>`
        : `<div class="empty">This is the very beginning of <b>${escapeHtml(navTitle())}</b>. Ask Turf something: <code>/owner globex.de</code></div>`;
  }
  let lastDay = "";
  let lastUser = "";
  let lastTs = 0;
  for (const m of messages) {
    const day = dayOf(m.ts);
    if (day !== lastDay) {
      list.append(
        Object.assign(document.createElement("div"), {
          className: "day-divider",
          innerHTML: `<span>${escapeHtml(day)}</span>`,
        }),
      );
      lastDay = day;
      lastUser = "";
    }
    const seconds = Number(m.ts.split(".")[0]);
    const compact = m.user === lastUser && seconds - lastTs < 300 && !m.ephemeral;
    list.append(
      renderMessage(
        m,
        replies.filter((r) => r.threadTs === m.ts),
        compact,
      ),
    );
    lastUser = m.ephemeral ? "" : m.user;
    lastTs = seconds;
  }
  body.append(list);
  if (atBottom) body.scrollTop = body.scrollHeight;
}

function author(m) {
  if (m.user === "USLACKBOT") return { name: "Slackbot", bot: true, icon: "S", color: "#36c5f0" };
  if (m.user === ui.data.bot.id) return { name: "Turf", bot: true, icon: "T", color: "#2eb67d" };
  const u = ui.data.users.find((x) => x.id === m.user);
  const name = u?.realName ?? m.user;
  return { name, bot: false, icon: initials(name), color: colorOf(m.user) };
}

function renderMessage(m, replies, compact, inThread = false) {
  const a = author(m);
  const node = document.createElement("div");
  node.className = `msg${m.ephemeral ? " ephemeral" : ""}${compact ? " compact" : ""}`;
  node.dataset.ts = m.ts;
  node.dataset.channel = m.channel;
  node.dataset.author = a.name;
  const avatar = compact
    ? `<div class="avatar-gap"><span class="msg-time-hover">${escapeHtml(timeOf(m.ts))}</span></div>`
    : `<div class="avatar" style="background:${a.color}">${escapeHtml(a.icon)}</div>`;
  node.innerHTML = `${avatar}<div class="msg-body">${
    compact
      ? ""
      : `<div class="msg-head"><span class="msg-author">${escapeHtml(a.name)}</span>${a.bot ? '<span class="badge-app">APP</span>' : ""}<span class="msg-time">${escapeHtml(timeOf(m.ts))}</span></div>`
  }${m.ephemeral ? '<div class="ephemeral-note"><svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><path d="M8 3C4.4 3 1.7 5.6 1 8c.7 2.4 3.4 5 7 5s6.3-2.6 7-5c-.7-2.4-3.4-5-7-5zm0 8a3 3 0 110-6 3 3 0 010 6z" fill="currentColor"/></svg> Only visible to you</div>' : ""}<div class="msg-content"></div></div>`;
  const content = node.querySelector(".msg-content");
  if (m.blocks && m.blocks.length > 0) {
    ui.messageStates[m.ts] ??= {};
    const ctx = {
      ...ctxBase(),
      state: ui.messageStates[m.ts],
      onAction: (block, element, value) =>
        sendAction({ channel: m.channel, ts: m.ts, block, element, value, state: ui.messageStates[m.ts] }),
    };
    content.append(renderBlocks(m.blocks, ctx));
  } else {
    content.innerHTML = `<div class="msg-text">${renderMrkdwn(m.text, ctxBase())}</div>`;
  }
  const bodyEl = node.querySelector(".msg-body");
  if (m.edited)
    bodyEl.append(
      Object.assign(document.createElement("span"), { className: "msg-edited", textContent: "(edited)" }),
    );
  if (m.ephemeral) {
    const dismiss = Object.assign(document.createElement("button"), {
      type: "button",
      className: "link dismiss",
      textContent: "Dismiss message",
    });
    dismiss.addEventListener("click", () => {
      ui.dismissed.add(m.ts);
      ui.keys["pane-body"] = "";
      render();
    });
    bodyEl.append(dismiss);
  }
  if (!inThread && replies.length > 0) {
    const link = Object.assign(document.createElement("button"), {
      type: "button",
      className: "thread-link",
      textContent: `${replies.length} ${replies.length === 1 ? "reply" : "replies"}`,
    });
    link.addEventListener("click", () => openThread(m));
    bodyEl.append(link);
  }
  if (!m.ephemeral) {
    const hover = document.createElement("div");
    hover.className = "msg-hover";
    if (!inThread) {
      const reply = Object.assign(document.createElement("button"), {
        type: "button",
        className: "hover-btn",
        title: "Reply in thread",
        textContent: "↩",
      });
      reply.setAttribute("aria-label", "Reply in thread");
      reply.addEventListener("click", () => openThread(m));
      hover.append(reply);
    }
    const more = Object.assign(document.createElement("button"), {
      type: "button",
      className: "hover-btn",
      title: "More actions",
      textContent: "⋮",
    });
    more.setAttribute("aria-label", "More actions");
    more.addEventListener("click", (event) => {
      event.stopPropagation();
      openMenu(more, m);
    });
    hover.append(more);
    node.append(hover);
  }
  return node;
}

function openMenu(anchor, m) {
  closeMenu();
  const menu = document.createElement("div");
  menu.className = "menu";
  menu.setAttribute("role", "menu");
  menu.innerHTML = `<div class="menu-section">Turf</div>`;
  for (const s of ui.data.shortcuts) {
    const item = Object.assign(document.createElement("button"), {
      type: "button",
      className: "menu-item",
      textContent: s.name,
    });
    item.setAttribute("role", "menuitem");
    item.addEventListener("click", () => {
      closeMenu();
      void api("/pg/shortcut", { channel: m.channel, ts: m.ts, callbackId: s.callbackId });
    });
    menu.append(item);
  }
  document.body.append(menu);
  const r = anchor.getBoundingClientRect();
  menu.style.top = `${Math.min(r.bottom + 4, window.innerHeight - menu.offsetHeight - 8)}px`;
  menu.style.left = `${Math.max(8, r.right - menu.offsetWidth)}px`;
  setTimeout(() => document.addEventListener("click", closeMenu, { once: true }), 0);
}

function closeMenu() {
  for (const m of document.querySelectorAll(".menu")) m.remove();
}

function openThread(m) {
  ui.thread = { channel: m.channel, ts: m.ts };
  ui.keys.thread = "";
  render();
  $("thread").querySelector("textarea")?.focus();
}

function renderThread() {
  const pane = $("thread");
  const t = ui.thread;
  const parent = t && ui.data.messages.find((m) => m.channel === t.channel && m.ts === t.ts);
  if (!t || !parent) {
    pane.hidden = true;
    ui.keys.thread = "";
    return;
  }
  const replies = ui.data.messages.filter((m) => m.channel === t.channel && m.threadTs === t.ts);
  if (!changed("thread", [parent, replies, ui.me])) return;
  pane.hidden = false;
  const draft = pane.querySelector("textarea")?.value ?? "";
  pane.innerHTML = `<div class="thread-header"><div><div class="pane-title">Thread</div><div class="pane-topic">${
    t.channel.startsWith("D")
      ? "Turf"
      : `#${escapeHtml(ui.data.channels.find((c) => c.id === t.channel)?.name ?? "")}`
  }</div></div><button type="button" class="modal-x" aria-label="Close thread">×</button></div><div class="thread-body"></div>
  <form class="composer thread-composer"><textarea rows="1" placeholder="Reply…" aria-label="Reply"></textarea><div class="composer-bar"><span></span><button type="submit" class="send" aria-label="Send reply">➤</button></div></form>`;
  pane.querySelector(".modal-x").addEventListener("click", () => {
    ui.thread = null;
    render();
  });
  const body = pane.querySelector(".thread-body");
  body.append(renderMessage(parent, [], false, true));
  const count = document.createElement("div");
  count.className = "thread-count";
  count.textContent = `${replies.length} ${replies.length === 1 ? "reply" : "replies"}`;
  body.append(count);
  for (const r of replies) body.append(renderMessage(r, [], false, true));
  const form = pane.querySelector("form");
  const input = form.querySelector("textarea");
  input.value = draft;
  wireComposer(form, input, () => ({ channel: t.channel, threadTs: t.ts }));
  body.scrollTop = body.scrollHeight;
}

// ---- modals -------------------------------------------------------------------------------------

function renderModals() {
  const root = $("modals");
  const top = ui.data.modals.at(-1);
  if (!changed("modal", [top ?? null, ui.data.modals.length, ui.me])) return;
  root.innerHTML = "";
  if (!top) return;
  const view = top.view;
  ui.modalStates[top.id] ??= {};
  const state = ui.modalStates[top.id];
  seedState(view.blocks, state);
  const backdrop = document.createElement("div");
  backdrop.className = "modal-backdrop";
  const modal = document.createElement("div");
  modal.className = "modal";
  modal.setAttribute("role", "dialog");
  modal.setAttribute("aria-modal", "true");
  modal.setAttribute("aria-label", view.title?.text ?? "Turf");
  modal.dataset.viewId = top.id;
  modal.dataset.callbackId = view.callback_id ?? "";
  modal.innerHTML = `<div class="modal-header"><span class="app-icon">T</span><h2>${escapeHtml(view.title?.text ?? "")}</h2><button type="button" class="modal-x" aria-label="Close">×</button></div>
    <div class="modal-error" hidden></div><div class="modal-body"></div><div class="modal-footer"></div>`;
  const ctx = {
    ...ctxBase(),
    state,
    errors: top.errors,
    onAction: (block, element, value) => sendAction({ viewId: top.id, block, element, value, state }),
  };
  modal.querySelector(".modal-body").append(renderBlocks(view.blocks, ctx));
  const footer = modal.querySelector(".modal-footer");
  const close = () => void api("/pg/close", { viewId: top.id });
  modal.querySelector(".modal-x").addEventListener("click", close);
  const closeBtn = Object.assign(document.createElement("button"), {
    type: "button",
    className: "btn btn-secondary",
    textContent: view.close?.text ?? (view.submit ? "Cancel" : "Close"),
  });
  closeBtn.addEventListener("click", close);
  footer.append(closeBtn);
  if (view.submit) {
    const submit = Object.assign(document.createElement("button"), {
      type: "button",
      className: "btn btn-primary",
      textContent: view.submit.text,
    });
    submit.addEventListener("click", async () => {
      submit.disabled = true;
      submit.classList.add("busy");
      const answer = await api("/pg/submit", { viewId: top.id, state });
      submit.disabled = false;
      submit.classList.remove("busy");
      const banner = modal.querySelector(".modal-error");
      if (answer?.error) {
        banner.textContent = answer.error;
        banner.hidden = false;
      }
    });
    footer.append(submit);
  }
  backdrop.append(modal);
  root.append(backdrop);
  modal.querySelector("input, textarea, select")?.focus();
}

// ---- actions ------------------------------------------------------------------------------------

function sendAction({ channel, ts, viewId, block, element, value, state }) {
  return api("/pg/action", {
    ...(viewId ? { viewId } : { channel, ts }),
    blockId: block.block_id ?? "",
    actionId: element.action_id ?? "",
    element: value,
    state,
  });
}

// Slack's client turns "@Name" into a mention token and escapes &, <, > in what people type.
function toSlackText(text) {
  let s = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const people = [...ui.data.users].sort((a, b) => b.realName.length - a.realName.length);
  s = s.replace(/@turf\b/gi, `<@${ui.data.bot.id}>`);
  for (const u of people) {
    if (u.isBot) continue;
    s = s.replaceAll(`@${u.realName}`, `<@${u.id}>`).replace(new RegExp(`@${u.name}\\b`, "g"), `<@${u.id}>`);
  }
  return s;
}

function wireComposer(form, input, where) {
  const submit = async () => {
    const raw = input.value;
    if (raw.trim() === "") return;
    input.value = "";
    const isCommand = raw.trim().startsWith("/") && !where().threadTs;
    await api("/pg/send", { ...where(), text: isCommand ? raw.trim() : toSlackText(raw) });
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void submit();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      void submit();
    }
  });
}

function wireHints() {
  const input = $("composer-input");
  const hints = $("command-hints");
  const COMMAND_HELP = {
    "/owner":
      "Who owns an account, and why — /owner globex.com · /owner why globex.com · /owner dispute globex.com · /owner disputes",
    "/rebalance": "Managers: preview the quarterly rebalance — /rebalance preview",
  };
  input.addEventListener("input", () => {
    const v = input.value;
    const matches =
      v.startsWith("/") && !v.includes(" ") ? (ui.data?.commands ?? []).filter((c) => c.startsWith(v)) : [];
    hints.hidden = matches.length === 0;
    hints.innerHTML = matches
      .map(
        (c) =>
          `<button type="button" class="hint" data-command="${c}"><b>${c}</b> <span>${escapeHtml(COMMAND_HELP[c] ?? "")}</span></button>`,
      )
      .join("");
    for (const b of hints.querySelectorAll(".hint"))
      b.addEventListener("click", () => {
        input.value = `${b.dataset.command} `;
        hints.hidden = true;
        input.focus();
      });
  });
}

function start() {
  wireComposer($("composer"), $("composer-input"), () => ({ channel: currentChannel() }));
  wireHints();
  $("as-user").addEventListener("change", (event) => {
    ui.me = event.target.value;
    localStorage.setItem("turf-playground-as", ui.me);
    ui.thread = null;
    ui.keys = {};
    const url = new URL(location.href);
    url.searchParams.set("as", ui.me);
    history.replaceState(null, "", url);
    if (ui.nav.kind === "app" && ui.nav.tab === "home") void api("/pg/home", {});
    void load();
  });
  $("advance-24h").addEventListener("click", async () => {
    const b = $("advance-24h");
    b.disabled = true;
    const answer = await api("/pg/clock", { hours: 24 });
    b.disabled = false;
    if (answer) toast(`Clock moved 24 hours; Turf's jobs ran.`);
    await load();
  });
  $("jump-effective").addEventListener("click", async () => {
    const answer = await api("/pg/clock", { to: "effective" });
    if (answer) toast(`Clock moved to ${answer.now.slice(0, 10)}; the rebalance applied.`);
    await load();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      const top = ui.data?.modals.at(-1);
      if (top) void api("/pg/close", { viewId: top.id });
      closeMenu();
    }
  });
  connect();
  void load();
}

start();
