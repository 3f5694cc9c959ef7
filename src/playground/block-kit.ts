// Block Kit checks the way Slack applies them: known block and element types, required fields and
// Slack's published limits. A message or view Slack would refuse is refused here with
// `invalid_blocks` and Slack's style of messages (`... [json-pointer:/blocks/0/text]`), so the
// playground never shows something the real client would not.

type Json = Record<string, unknown>;
type Problems = string[];

const BLOCK_TYPES = new Set([
  "actions",
  "context",
  "divider",
  "file",
  "header",
  "image",
  "input",
  "markdown",
  "rich_text",
  "section",
  "video",
]);

// Elements by where they may appear (Slack's "Available in" per element).
const INTERACTIVE = new Set([
  "button",
  "checkboxes",
  "datepicker",
  "datetimepicker",
  "static_select",
  "external_select",
  "users_select",
  "conversations_select",
  "channels_select",
  "multi_static_select",
  "multi_external_select",
  "multi_users_select",
  "multi_conversations_select",
  "multi_channels_select",
  "overflow",
  "radio_buttons",
  "timepicker",
]);
const INPUT_ONLY = new Set([
  "plain_text_input",
  "email_text_input",
  "number_input",
  "url_text_input",
  "rich_text_input",
  "file_input",
]);
const SELECTS_WITH_OPTIONS = new Set(["static_select", "multi_static_select"]);

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === "string" ? v : undefined);

export const BLOCK_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  blockId: 255,
  actionId: 255,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  placeholder: 150,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  selectOptions: 100,
  radioOptions: 10,
  checkboxOptions: 10,
  overflowOptions: 5,
  inputLabel: 2000,
  inputHint: 2000,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
  messageText: 40000,
} as const;

function textObject(
  value: unknown,
  at: string,
  problems: Problems,
  o: { max: number; plainOnly?: boolean; required?: boolean },
): void {
  if (value === undefined) {
    if (o.required !== false) problems.push(`[ERROR] missing required field: text [json-pointer:${at}]`);
    return;
  }
  if (!isObject(value)) {
    problems.push(`[ERROR] must be an object [json-pointer:${at}]`);
    return;
  }
  const type = value.type;
  if (type !== "plain_text" && (o.plainOnly || type !== "mrkdwn")) {
    problems.push(
      `[ERROR] must be ${o.plainOnly ? "plain_text" : "plain_text or mrkdwn"} [json-pointer:${at}/type]`,
    );
  }
  const text = str(value.text);
  if (text === undefined || text.length === 0)
    problems.push(`[ERROR] must be more than 0 characters [json-pointer:${at}/text]`);
  else if (text.length > o.max)
    problems.push(`[ERROR] must be less than ${o.max + 1} characters [json-pointer:${at}/text]`);
}

function maxLength(value: unknown, max: number, at: string, problems: Problems): void {
  const s = str(value);
  if (s !== undefined && s.length > max)
    problems.push(`[ERROR] must be less than ${max + 1} characters [json-pointer:${at}]`);
}

function options(list: unknown, max: number, at: string, problems: Problems, plainOnly: boolean): void {
  if (!Array.isArray(list) || list.length === 0) {
    problems.push(`[ERROR] must provide at least one option [json-pointer:${at}]`);
    return;
  }
  if (list.length > max) problems.push(`[ERROR] must provide at most ${max} items [json-pointer:${at}]`);
  list.forEach((option, i) => {
    const p = `${at}/${i}`;
    if (!isObject(option)) {
      problems.push(`[ERROR] must be an object [json-pointer:${p}]`);
      return;
    }
    textObject(option.text, `${p}/text`, problems, { max: BLOCK_LIMITS.optionText, plainOnly });
    if (option.description !== undefined)
      textObject(option.description, `${p}/description`, problems, {
        max: BLOCK_LIMITS.optionDescription,
        plainOnly,
      });
    const value = str(option.value);
    if (value === undefined) problems.push(`[ERROR] missing required field: value [json-pointer:${p}]`);
    else maxLength(value, BLOCK_LIMITS.optionValue, `${p}/value`, problems);
  });
}

function element(
  el: unknown,
  at: string,
  problems: Problems,
  where: "actions" | "section" | "input",
  actionIds: Set<string>,
): void {
  if (!isObject(el)) {
    problems.push(`[ERROR] must be an object [json-pointer:${at}]`);
    return;
  }
  const type = str(el.type) ?? "";
  const allowed = where === "input" ? INTERACTIVE.has(type) || INPUT_ONLY.has(type) : INTERACTIVE.has(type);
  if (!allowed && !(where === "section" && type === "image")) {
    problems.push(`[ERROR] failed to match all allowed schemas [json-pointer:${at}]`);
    return;
  }
  if (type === "image") return;
  const actionId = str(el.action_id);
  if (actionId !== undefined) {
    maxLength(actionId, BLOCK_LIMITS.actionId, `${at}/action_id`, problems);
    if (actionIds.has(actionId))
      problems.push(`[ERROR] action_id already exists: ${actionId} [json-pointer:${at}/action_id]`);
    actionIds.add(actionId);
  }
  if (el.placeholder !== undefined)
    textObject(el.placeholder, `${at}/placeholder`, problems, {
      max: BLOCK_LIMITS.placeholder,
      plainOnly: true,
    });
  switch (type) {
    case "button":
      textObject(el.text, `${at}/text`, problems, { max: BLOCK_LIMITS.buttonText, plainOnly: true });
      maxLength(el.value, BLOCK_LIMITS.buttonValue, `${at}/value`, problems);
      maxLength(el.url, BLOCK_LIMITS.url, `${at}/url`, problems);
      if (el.style !== undefined && el.style !== "primary" && el.style !== "danger")
        problems.push(`[ERROR] must be one of primary, danger [json-pointer:${at}/style]`);
      break;
    case "radio_buttons":
      options(el.options, BLOCK_LIMITS.radioOptions, `${at}/options`, problems, false);
      break;
    case "checkboxes":
      options(el.options, BLOCK_LIMITS.checkboxOptions, `${at}/options`, problems, false);
      break;
    case "overflow":
      options(el.options, BLOCK_LIMITS.overflowOptions, `${at}/options`, problems, true);
      break;
    default:
      if (SELECTS_WITH_OPTIONS.has(type) && el.option_groups === undefined)
        options(el.options, BLOCK_LIMITS.selectOptions, `${at}/options`, problems, true);
  }
  if (el.initial_option !== undefined && Array.isArray(el.options)) {
    const initial = el.initial_option as Json;
    if (!el.options.some((o) => isObject(o) && o.value === initial.value))
      problems.push(
        `[ERROR] initial_option must match one of the options [json-pointer:${at}/initial_option]`,
      );
  }
  if (
    type === "datepicker" &&
    el.initial_date !== undefined &&
    !/^\d{4}-\d{2}-\d{2}$/.test(String(el.initial_date))
  )
    problems.push(`[ERROR] must be in the format YYYY-MM-DD [json-pointer:${at}/initial_date]`);
}

function block(b: unknown, at: string, problems: Problems, blockIds: Set<string>): void {
  if (!isObject(b)) {
    problems.push(`[ERROR] must be an object [json-pointer:${at}]`);
    return;
  }
  const type = str(b.type);
  if (!type || !BLOCK_TYPES.has(type)) {
    problems.push(`[ERROR] failed to match all allowed schemas [json-pointer:${at}]`);
    return;
  }
  const blockId = str(b.block_id);
  if (blockId !== undefined) {
    maxLength(blockId, BLOCK_LIMITS.blockId, `${at}/block_id`, problems);
    if (blockIds.has(blockId))
      problems.push(`[ERROR] block_id already exists: ${blockId} [json-pointer:${at}/block_id]`);
    blockIds.add(blockId);
  }
  const actionIds = new Set<string>();
  switch (type) {
    case "section": {
      if (b.text === undefined && b.fields === undefined)
        problems.push(`[ERROR] must provide either text or fields [json-pointer:${at}]`);
      if (b.text !== undefined) textObject(b.text, `${at}/text`, problems, { max: BLOCK_LIMITS.sectionText });
      if (b.fields !== undefined) {
        if (!Array.isArray(b.fields) || b.fields.length === 0)
          problems.push(`[ERROR] must provide at least one field [json-pointer:${at}/fields]`);
        else {
          if (b.fields.length > BLOCK_LIMITS.sectionFields)
            problems.push(`[ERROR] must provide at most 10 items [json-pointer:${at}/fields]`);
          b.fields.forEach((f, i) => {
            textObject(f, `${at}/fields/${i}`, problems, { max: BLOCK_LIMITS.fieldText });
          });
        }
      }
      if (b.accessory !== undefined) element(b.accessory, `${at}/accessory`, problems, "section", actionIds);
      break;
    }
    case "header":
      textObject(b.text, `${at}/text`, problems, { max: BLOCK_LIMITS.headerText, plainOnly: true });
      break;
    case "context": {
      const els = b.elements;
      if (!Array.isArray(els) || els.length === 0)
        problems.push(`[ERROR] must provide at least one element [json-pointer:${at}/elements]`);
      else {
        if (els.length > BLOCK_LIMITS.contextElements)
          problems.push(`[ERROR] must provide at most 10 items [json-pointer:${at}/elements]`);
        els.forEach((e, i) => {
          if (isObject(e) && e.type === "image") return;
          textObject(e, `${at}/elements/${i}`, problems, { max: 3000 });
        });
      }
      break;
    }
    case "actions": {
      const els = b.elements;
      if (!Array.isArray(els) || els.length === 0)
        problems.push(`[ERROR] must provide at least one element [json-pointer:${at}/elements]`);
      else {
        if (els.length > BLOCK_LIMITS.actionsElements)
          problems.push(`[ERROR] must provide at most 25 items [json-pointer:${at}/elements]`);
        els.forEach((e, i) => {
          element(e, `${at}/elements/${i}`, problems, "actions", actionIds);
        });
      }
      break;
    }
    case "input":
      textObject(b.label, `${at}/label`, problems, { max: BLOCK_LIMITS.inputLabel, plainOnly: true });
      if (b.hint !== undefined)
        textObject(b.hint, `${at}/hint`, problems, { max: BLOCK_LIMITS.inputHint, plainOnly: true });
      if (b.element === undefined)
        problems.push(`[ERROR] missing required field: element [json-pointer:${at}]`);
      else element(b.element, `${at}/element`, problems, "input", actionIds);
      break;
    default:
      break;
  }
}

/** Problems with a `blocks` array, or [] when Slack would accept it. */
export function blocksProblems(blocks: unknown, surface: "message" | "view", at = "/blocks"): string[] {
  const problems: Problems = [];
  if (!Array.isArray(blocks)) return [`[ERROR] must be an array [json-pointer:${at}]`];
  const max = surface === "message" ? BLOCK_LIMITS.messageBlocks : BLOCK_LIMITS.viewBlocks;
  if (blocks.length > max) problems.push(`[ERROR] no more than ${max} items allowed [json-pointer:${at}]`);
  const blockIds = new Set<string>();
  blocks.forEach((b, i) => {
    block(b, `${at}/${i}`, problems, blockIds);
  });
  return problems;
}

/** Problems with a view object (views.open/push/update/publish, response_action update/push). */
export function viewProblems(view: unknown): string[] {
  if (!isObject(view)) return ["[ERROR] must be an object [json-pointer:/view]"];
  const problems: Problems = [];
  const type = view.type;
  if (type !== "modal" && type !== "home")
    problems.push("[ERROR] must be one of modal, home [json-pointer:/view/type]");
  if (type === "modal") {
    textObject(view.title, "/view/title", problems, { max: BLOCK_LIMITS.modalTitle, plainOnly: true });
    for (const key of ["submit", "close"] as const) {
      if (view[key] !== undefined)
        textObject(view[key], `/view/${key}`, problems, { max: BLOCK_LIMITS.modalButton, plainOnly: true });
    }
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObject(b) && b.type === "input");
    if (hasInput && view.submit === undefined)
      problems.push("[ERROR] submit is required when the view has input blocks [json-pointer:/view/submit]");
  }
  maxLength(view.private_metadata, BLOCK_LIMITS.privateMetadata, "/view/private_metadata", problems);
  maxLength(view.callback_id, BLOCK_LIMITS.callbackId, "/view/callback_id", problems);
  problems.push(...blocksProblems(view.blocks, "view", "/view/blocks"));
  return problems;
}
