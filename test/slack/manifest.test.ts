import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import addFormatsImport from "ajv-formats";
import { describe, expect, it } from "vitest";

// The manifest is what an admin pastes into api.slack.com; Slack rejects it (or worse, grants
// more than the code needs) if it drifts from Slack's published schema or from what the code uses.

// Slack's published schema and method reference, copied into the repository (see its NOTICE).
const SLACK = fileURLToPath(new URL("../fixtures/slack/", import.meta.url));
const SCHEMA_DIR = join(SLACK, "manifest-schema");
const METHODS_DIR = join(SLACK, "web-api-methods");
// Socket Mode (development, small teams) and HTTP mode (production behind a load balancer).
const MANIFEST_FILES = { socket: "manifest.json", http: "manifest.http.json" } as const;
type Mode = keyof typeof MANIFEST_FILES;

// The root schema $refs each version by this URL; the version files carry no $id of their own.
const SCHEMA_BASE = "https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/";

type Manifest = {
  display_information: { name: string };
  features: {
    app_home?: { home_tab_enabled?: boolean; messages_tab_enabled?: boolean };
    bot_user?: { display_name: string };
    slash_commands?: { command: string; description: string; usage_hint?: string; url?: string }[];
    shortcuts?: { name: string; type: string; callback_id: string }[];
  };
  oauth_config: { scopes: { bot: string[]; user?: string[] } };
  settings: {
    event_subscriptions?: { request_url?: string; bot_events?: string[]; user_events?: string[] };
    interactivity?: { is_enabled: boolean; request_url?: string };
    org_deploy_enabled?: boolean;
    socket_mode_enabled?: boolean;
  };
};

const readJson = (path: string | URL): unknown => JSON.parse(readFileSync(path, "utf8"));
const readManifest = (mode: Mode) =>
  readJson(new URL(`../../manifests/${MANIFEST_FILES[mode]}`, import.meta.url)) as Manifest;

// Bolt's HTTP receiver listens for commands, interactivity and events on this one path.
const BOLT_ENDPOINT = "/slack/events";

// ajv-formats is CommonJS; under ESM its function may sit on `.default` depending on the loader.
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats: AddFormats =
  (addFormatsImport as unknown as { default?: AddFormats }).default ??
  (addFormatsImport as unknown as AddFormats);

function compileManifestSchema() {
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, strictTypes: false });
  addFormats(ajv);
  // Slack's schema uses a non-standard `regex` keyword (background_color); honour it rather than ignore it.
  ajv.addKeyword({
    keyword: "regex",
    type: "string",
    schemaType: "string",
    validate: (pattern: string, data: string) => new RegExp(pattern).test(data),
  });
  // `_note` is a comment Slack left in the schema; an annotation, not a constraint.
  ajv.addKeyword({ keyword: "_note", schemaType: "string" });
  const files = readdirSync(join(SCHEMA_DIR, "schemas")).filter((f) => f.endsWith(".json"));
  for (const file of files) {
    const schema = readJson(join(SCHEMA_DIR, "schemas", file)) as { $id?: string };
    ajv.addSchema(schema, schema.$id ?? SCHEMA_BASE + file);
  }
  return ajv.compile(readJson(join(SCHEMA_DIR, "manifest.schema.json")) as object);
}

// Slack's Events API reference, "Required scopes" per event (not in test/fixtures/slack).
const EVENT_SCOPES: Record<string, string[]> = {
  app_home_opened: [],
  app_mention: ["app_mentions:read"],
  "message.im": ["im:history"],
};

// Web API methods the code calls; each needs one of its bot scopes from web-api-methods/.
const METHODS_USED = [
  "auth.test",
  "chat.postMessage",
  "chat.postEphemeral",
  "chat.update",
  "conversations.history",
  "conversations.open",
  "users.info",
  "users.lookupByEmail",
  "views.open",
  "views.publish",
  "views.push",
  "views.update",
];

// Methods the published reference in test/fixtures/slack lacks, with the bot scopes Slack documents.
const LOCAL_METHOD_SCOPES: Record<string, string[]> = {
  "conversations.history": ["channels:history", "groups:history", "im:history", "mpim:history"],
};

function methodBotScopes(method: string): string[] {
  const local = LOCAL_METHOD_SCOPES[method];
  if (local) return local;
  const ref = readJson(join(METHODS_DIR, `${method}.json`)) as { scope?: { bot?: string[] } };
  return ref.scope?.bot ?? [];
}

describe.each(Object.keys(MANIFEST_FILES) as Mode[])("the %s-mode manifest", (mode) => {
  const manifest = readManifest(mode);
  const validate = compileManifestSchema();

  it("validates against Slack's published manifest schema", () => {
    const valid = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it.each([
    ["an unknown top-level key", { ...manifest, surprise: true }],
    [
      "a slash command without a leading slash",
      {
        ...manifest,
        features: { ...manifest.features, slash_commands: [{ command: "owner", description: "x" }] },
      },
    ],
    [
      "a shortcut name over 24 characters",
      {
        ...manifest,
        features: {
          ...manifest.features,
          shortcuts: [
            { name: "Who owns this account right now?", type: "message", callback_id: "x", description: "x" },
          ],
        },
      },
    ],
    [
      "a malformed background colour",
      {
        ...manifest,
        display_information: { ...manifest.display_information, background_color: "green" },
      },
    ],
  ])("the schema check can fail: rejects %s", (_label, broken) => {
    expect(validate(broken)).toBe(false);
  });

  it("declares the app's identity and surfaces", () => {
    expect(manifest.display_information.name).toBe("Turf");
    expect(manifest.features.bot_user?.display_name).toBe("Turf");
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
    expect(manifest.settings).toMatchObject({
      socket_mode_enabled: mode === "socket",
      org_deploy_enabled: false,
      interactivity: { is_enabled: true },
    });
  });

  it("declares exactly the commands and shortcuts the code handles", () => {
    expect(manifest.features.slash_commands?.map((c) => c.command)).toEqual(["/owner", "/rebalance"]);
    const owner = manifest.features.slash_commands?.find((c) => c.command === "/owner");
    expect(owner?.description).toBe("Who owns an account, and why");
    expect(owner?.usage_hint).toBe("[company | domain | CRM id] · why … · dispute … · disputes · help");
    expect(manifest.features.shortcuts).toEqual([
      expect.objectContaining({ name: "Who owns this?", type: "message", callback_id: "who_owns_this" }),
    ]);
  });

  it("subscribes to exactly the bot events the code handles, and no user events", () => {
    expect([...(manifest.settings.event_subscriptions?.bot_events ?? [])].sort()).toEqual(
      ["app_home_opened", "app_mention", "message.im"].sort(),
    );
    expect(manifest.settings.event_subscriptions?.user_events).toBeUndefined();
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });

  it("asks for exactly the agreed bot scopes", () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(
      [
        "app_mentions:read",
        // conversations.history: the outbox checks whether Slack already has a message before re-sending.
        "channels:history",
        "groups:history",
        "chat:write",
        "commands",
        "im:history",
        "im:write",
        "users:read",
        "users:read.email",
      ].sort(),
    );
  });

  it.each(Object.keys(EVENT_SCOPES))("grants the scope event %s needs", (event) => {
    for (const scope of EVENT_SCOPES[event] ?? []) {
      expect(manifest.oauth_config.scopes.bot).toContain(scope);
    }
  });

  it("knows the required scopes of every subscribed event (no event slips past the scope check)", () => {
    for (const event of manifest.settings.event_subscriptions?.bot_events ?? []) {
      expect(Object.keys(EVENT_SCOPES)).toContain(event);
    }
  });

  it.each(METHODS_USED)("grants a bot scope Slack lists for %s", (method) => {
    const needed = methodBotScopes(method);
    if (needed.length === 0) return;
    expect(needed.some((s) => manifest.oauth_config.scopes.bot.includes(s))).toBe(true);
  });

  it("asks for no scope that no command, event or method uses", () => {
    const justified = new Set<string>();
    if (
      (manifest.features.slash_commands ?? []).length > 0 ||
      (manifest.features.shortcuts ?? []).length > 0
    ) {
      justified.add("commands");
    }
    for (const event of manifest.settings.event_subscriptions?.bot_events ?? []) {
      for (const s of EVENT_SCOPES[event] ?? []) justified.add(s);
    }
    for (const method of METHODS_USED) {
      for (const s of methodBotScopes(method)) justified.add(s);
    }
    const unjustified = manifest.oauth_config.scopes.bot.filter((s) => !justified.has(s));
    expect(unjustified).toEqual([]);
  });
});

describe("the two manifests", () => {
  const socket = readManifest("socket");
  const http = readManifest("http");
  const requestUrls = (m: Manifest) => [
    ...(m.features.slash_commands ?? []).map((c) => c.url),
    m.settings.event_subscriptions?.request_url,
    m.settings.interactivity?.request_url,
  ];

  it("socket mode needs no public URL", () => {
    expect(requestUrls(socket).filter((u) => u !== undefined)).toEqual([]);
  });

  it("HTTP mode points every command, event and interaction at Bolt's endpoint on one host", () => {
    const urls = requestUrls(http);
    expect(urls).toHaveLength((http.features.slash_commands ?? []).length + 2);
    for (const url of urls) {
      expect(url).toBeDefined();
      const parsed = new URL(url as string);
      expect(parsed.protocol).toBe("https:");
      expect(parsed.pathname).toBe(BOLT_ENDPOINT);
    }
    expect(new Set(urls.map((u) => new URL(u as string).host)).size).toBe(1);
  });

  it("differ only in how Slack reaches the app (same commands, shortcuts, events and scopes)", () => {
    const withoutTransport = (m: Manifest) => ({
      ...m,
      features: {
        ...m.features,
        slash_commands: m.features.slash_commands?.map(({ url: _url, ...c }) => c),
      },
      settings: {
        ...m.settings,
        socket_mode_enabled: undefined,
        event_subscriptions: { ...m.settings.event_subscriptions, request_url: undefined },
        interactivity: { ...m.settings.interactivity, request_url: undefined },
      },
    });
    expect(withoutTransport(http)).toEqual(withoutTransport(socket));
  });
});

describe("Slack CLI (`slack run`)", () => {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const hooks = readJson(join(root, ".slack/hooks.json")) as { hooks: Record<string, string> };

  it("starts Turf the way a newcomer does, and takes the other hooks from @slack/cli-hooks", () => {
    expect(hooks.hooks.start).toBe("npm start");
    expect(hooks.hooks["get-hooks"]).toContain("-p @slack/cli-hooks slack-cli-get-hooks");
  });

  it("the get-manifest hook finds the Socket Mode manifest", () => {
    const result = spawnSync(
      process.execPath,
      [join(root, "node_modules/@slack/cli-hooks/src/get-manifest.js")],
      { cwd: root, encoding: "utf8" },
    );
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(readManifest("socket"));
  });
});
