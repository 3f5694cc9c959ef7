// The dependency rule, written once. `npm test` runs `npm run depcheck`, which fails on any
// violation not listed in .dependency-cruiser-known-violations.json (see ARCHITECTURE.md).
//
// Layers point inward: domain ← db ← services ← slack / jobs / cli, with config at the side.

/** Node modules that do I/O or reach the process; the pure domain must not touch them. */
const NODE_IO = "^(node:)?(fs|fs/promises|net|http|https|http2|child_process|dgram|dns|tls|cluster|worker_threads|process|os|readline|vm)$";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment: "Import cycles make load order matter and hide which module owns what.",
      from: {},
      to: { circular: true },
    },
    {
      name: "domain-is-pure",
      severity: "error",
      comment: "src/domain imports only src/domain (and pure npm libraries): no db, services, Slack or config.",
      from: { path: "^src/domain/" },
      to: { path: "^src/", pathNot: "^src/domain/" },
    },
    {
      name: "domain-no-io",
      severity: "error",
      comment: "src/domain does no I/O: no file system, network or process modules, no Prisma, Slack, pg or logger.",
      from: { path: "^src/domain/" },
      to: { path: [NODE_IO, "^node_modules/(@prisma|@slack|pino|pg|@electric-sql)/"] },
    },
    {
      name: "db-below-use-cases",
      severity: "error",
      comment: "src/db is storage only; it never calls use cases, Slack, jobs or the CLI.",
      from: { path: "^src/db/" },
      to: { path: "^src/(services|slack|jobs|cli|playground)/" },
    },
    {
      name: "services-below-adapters",
      severity: "error",
      comment: "Use cases do not know who calls them: no Slack, jobs or CLI imports.",
      from: { path: "^src/services/" },
      to: { path: "^src/(slack|jobs|cli)/" },
    },
    {
      name: "jobs-not-listeners",
      severity: "error",
      comment: "Jobs send through an interface handed in from main.ts, never through Slack listeners.",
      from: { path: "^src/jobs/" },
      to: { path: "^src/slack/listeners/" },
    },
    {
      name: "slack-through-services",
      severity: "error",
      comment: "Slack code reaches storage only through use cases (src/services), never src/db.",
      from: { path: "^src/slack/" },
      to: { path: "^src/db/" },
    },
    {
      name: "config-stands-alone",
      severity: "error",
      comment: "src/config is read by everyone, so it imports nothing of ours but config.",
      from: { path: "^src/config/" },
      to: { path: "^src/", pathNot: "^src/config/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^src/generated/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".js", ".mjs", ".cjs", ".json", ".d.ts"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
