// Block Kit → DOM, as the Slack client lays it out. Interactive elements in messages, the Home tab and
// modals call ctx.onAction (buttons, selects outside input blocks); inputs keep their values in
// ctx.state (view.state.values: block_id → action_id → element state) for the submission.
import { escapeHtml, renderMrkdwn, renderPlain } from "./mrkdwn.js";

function el(tag, className, html) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (html !== undefined) node.innerHTML = html;
  return node;
}

export function textHtml(obj, ctx) {
  if (!obj) return "";
  return obj.type === "mrkdwn" ? renderMrkdwn(obj.text, ctx) : renderPlain(obj.text, obj.emoji !== false);
}

const optionText = (o) => (o?.text?.type === "mrkdwn" ? o.text.text : (o?.text?.text ?? ""));

/** The state Slack reports for an element before anyone touches it (its initial_* value). */
export function initialState(element) {
  switch (element.type) {
    case "plain_text_input":
    case "email_text_input":
    case "url_text_input":
    case "number_input":
      return { type: element.type, value: element.initial_value ?? null };
    case "static_select":
    case "external_select":
    case "radio_buttons":
      return { type: element.type, selected_option: element.initial_option ?? null };
    case "users_select":
      return { type: element.type, selected_user: element.initial_user ?? null };
    case "conversations_select":
      return { type: element.type, selected_conversation: element.initial_conversation ?? null };
    case "channels_select":
      return { type: element.type, selected_channel: element.initial_channel ?? null };
    case "checkboxes":
    case "multi_static_select":
      return { type: element.type, selected_options: element.initial_options ?? [] };
    case "multi_users_select":
      return { type: element.type, selected_users: element.initial_users ?? [] };
    case "datepicker":
      return { type: element.type, selected_date: element.initial_date ?? null };
    case "timepicker":
      return { type: element.type, selected_time: element.initial_time ?? null };
    default:
      return null;
  }
}

/** Seeds ctx.state with every input element's initial state (as Slack does when a view opens). */
export function seedState(blocks, state) {
  for (const block of blocks ?? []) {
    const elements =
      block.type === "input"
        ? [block.element]
        : block.type === "actions"
          ? block.elements
          : [block.accessory];
    for (const element of elements ?? []) {
      if (!element?.action_id) continue;
      const initial = initialState(element);
      if (!initial) continue;
      const blockId = block.block_id;
      if (!blockId) continue;
      state[blockId] ??= {};
      state[blockId][element.action_id] ??= initial;
    }
  }
}

function setState(ctx, block, element, value) {
  if (!ctx.state || !block.block_id) return;
  ctx.state[block.block_id] ??= {};
  ctx.state[block.block_id][element.action_id] = { type: element.type, ...value };
}

function current(ctx, block, element) {
  return ctx.state?.[block.block_id]?.[element.action_id] ?? initialState(element);
}

function optionValueMap(options) {
  return new Map((options ?? []).map((o) => [o.value, o]));
}

function renderElement(element, block, ctx, inInput) {
  const fire = (value) => {
    if (!inInput || element.dispatch_action) ctx.onAction?.(block, element, value);
  };
  switch (element.type) {
    case "button": {
      const b = el(
        "button",
        `bk-button${element.style ? ` bk-${element.style}` : ""}`,
        renderPlain(element.text?.text),
      );
      b.type = "button";
      b.dataset.actionId = element.action_id ?? "";
      if (element.url) {
        b.addEventListener("click", () => window.open(element.url, "_blank", "noopener"));
      }
      b.addEventListener("click", () => {
        if (element.confirm && !window.confirm(element.confirm.text?.text ?? "Are you sure?")) return;
        ctx.onAction?.(block, element, {
          type: "button",
          text: element.text,
          ...(element.value !== undefined ? { value: element.value } : {}),
          ...(element.style ? { style: element.style } : {}),
        });
      });
      return b;
    }
    case "static_select":
    case "users_select":
    case "conversations_select":
    case "channels_select":
    case "external_select": {
      const select = el("select", "bk-select");
      select.dataset.actionId = element.action_id ?? "";
      const placeholder = el("option", "", renderPlain(element.placeholder?.text ?? "Select an item"));
      placeholder.value = "";
      select.append(placeholder);
      const state = current(ctx, block, element);
      let options = [];
      if (element.type === "users_select") {
        options = (ctx.people ?? []).map((u) => ({
          value: u.id,
          text: { type: "plain_text", text: u.realName },
        }));
      } else if (element.type === "conversations_select" || element.type === "channels_select") {
        options = (ctx.channelList ?? []).map((c) => ({
          value: c.id,
          text: { type: "plain_text", text: `#${c.name}` },
        }));
      } else {
        options = element.options ?? (element.option_groups ?? []).flatMap((g) => g.options ?? []);
      }
      const selected =
        state?.selected_option?.value ??
        state?.selected_user ??
        state?.selected_conversation ??
        state?.selected_channel ??
        "";
      for (const o of options) {
        const option = el("option", "", renderPlain(optionText(o)));
        option.value = o.value;
        if (o.value === selected) option.selected = true;
        select.append(option);
      }
      const byValue = optionValueMap(options);
      select.addEventListener("change", () => {
        const v = select.value || null;
        let value;
        if (element.type === "users_select") value = { selected_user: v };
        else if (element.type === "conversations_select") value = { selected_conversation: v };
        else if (element.type === "channels_select") value = { selected_channel: v };
        else {
          const o = v ? byValue.get(v) : null;
          value = { selected_option: o ? { text: o.text, value: o.value } : null };
        }
        setState(ctx, block, element, value);
        fire({ type: element.type, ...value });
      });
      return select;
    }
    case "overflow": {
      const select = el("select", "bk-overflow");
      select.dataset.actionId = element.action_id ?? "";
      select.append(Object.assign(el("option", "", "⋯"), { value: "" }));
      for (const o of element.options ?? [])
        select.append(Object.assign(el("option", "", renderPlain(optionText(o))), { value: o.value }));
      select.addEventListener("change", () => {
        const o = (element.options ?? []).find((x) => x.value === select.value);
        select.value = "";
        if (o)
          ctx.onAction?.(block, element, {
            type: "overflow",
            selected_option: { text: o.text, value: o.value },
          });
      });
      return select;
    }
    case "radio_buttons":
    case "checkboxes": {
      const group = el("div", `bk-${element.type}`);
      const state = current(ctx, block, element);
      const name = `${block.block_id}-${element.action_id}-${Math.random().toString(36).slice(2)}`;
      for (const o of element.options ?? []) {
        const label = el("label", "bk-choice");
        const input = el("input");
        input.type = element.type === "radio_buttons" ? "radio" : "checkbox";
        input.name = name;
        input.value = o.value;
        input.checked =
          element.type === "radio_buttons"
            ? state?.selected_option?.value === o.value
            : (state?.selected_options ?? []).some((s) => s.value === o.value);
        input.addEventListener("change", () => {
          let value;
          if (element.type === "radio_buttons")
            value = {
              selected_option: {
                text: o.text,
                value: o.value,
                ...(o.description ? { description: o.description } : {}),
              },
            };
          else {
            const chosen = [...group.querySelectorAll("input:checked")]
              .map((i) => (element.options ?? []).find((x) => x.value === i.value))
              .filter(Boolean);
            value = { selected_options: chosen };
          }
          setState(ctx, block, element, value);
          fire({ type: element.type, ...value });
        });
        const text = el("span", "bk-choice-text", textHtml(o.text, ctx));
        if (o.description) text.append(el("span", "bk-choice-description", textHtml(o.description, ctx)));
        label.append(input, text);
        group.append(label);
      }
      return group;
    }
    case "datepicker": {
      const input = el("input", "bk-date");
      input.type = "date";
      input.dataset.actionId = element.action_id ?? "";
      input.value = current(ctx, block, element)?.selected_date ?? "";
      input.addEventListener("change", () => {
        setState(ctx, block, element, { selected_date: input.value || null });
        fire({ type: "datepicker", selected_date: input.value || null });
      });
      return input;
    }
    case "timepicker": {
      const input = el("input", "bk-date");
      input.type = "time";
      input.value = current(ctx, block, element)?.selected_time ?? "";
      input.addEventListener("change", () =>
        setState(ctx, block, element, { selected_time: input.value || null }),
      );
      return input;
    }
    case "plain_text_input":
    case "email_text_input":
    case "url_text_input":
    case "number_input": {
      const multiline = element.type === "plain_text_input" && element.multiline;
      const input = el(multiline ? "textarea" : "input", "bk-text-input");
      if (!multiline)
        input.type =
          element.type === "number_input" ? "number" : element.type === "email_text_input" ? "email" : "text";
      input.dataset.actionId = element.action_id ?? "";
      if (element.placeholder) input.placeholder = element.placeholder.text;
      if (element.max_length) input.maxLength = element.max_length;
      input.value = current(ctx, block, element)?.value ?? "";
      input.addEventListener("input", () =>
        setState(ctx, block, element, { value: input.value === "" ? null : input.value }),
      );
      return input;
    }
    case "image": {
      const img = el("img", "bk-accessory-image");
      img.src = element.image_url ?? "";
      img.alt = element.alt_text ?? "";
      return img;
    }
    default:
      return el("span", "bk-unsupported", `[${escapeHtml(element.type)}]`);
  }
}

function renderBlock(block, ctx) {
  const node = el("div", `bk-block bk-${block.type}`);
  if (block.block_id) node.dataset.blockId = block.block_id;
  switch (block.type) {
    case "section": {
      const body = el("div", "bk-section-body");
      if (block.text) body.append(el("div", "bk-section-text", textHtml(block.text, ctx)));
      if (block.fields) {
        const fields = el("div", "bk-fields");
        for (const f of block.fields) fields.append(el("div", "bk-field", textHtml(f, ctx)));
        body.append(fields);
      }
      node.append(body);
      if (block.accessory) {
        const accessory = el("div", "bk-accessory");
        accessory.append(renderElement(block.accessory, block, ctx, false));
        node.append(accessory);
      }
      break;
    }
    case "header":
      node.innerHTML = renderPlain(block.text?.text, block.text?.emoji !== false);
      break;
    case "context":
      for (const e of block.elements ?? []) {
        if (e.type === "image") {
          const img = el("img", "bk-context-image");
          img.src = e.image_url ?? "";
          img.alt = e.alt_text ?? "";
          node.append(img);
        } else node.append(el("span", "bk-context-text", textHtml(e, ctx)));
      }
      break;
    case "divider":
      node.append(el("hr"));
      break;
    case "actions":
      for (const e of block.elements ?? []) node.append(renderElement(e, block, ctx, false));
      break;
    case "input": {
      const label = el("label", "bk-label", renderPlain(block.label?.text));
      if (block.optional) label.append(el("span", "bk-optional", " (optional)"));
      node.append(label);
      node.append(renderElement(block.element ?? {}, block, ctx, true));
      const error = ctx.errors?.[block.block_id];
      if (error) {
        node.classList.add("bk-has-error");
        node.append(el("div", "bk-error", `⚠ ${escapeHtml(error)}`));
      } else if (block.hint) node.append(el("div", "bk-hint", renderPlain(block.hint.text)));
      break;
    }
    case "image": {
      if (block.title) node.append(el("div", "bk-image-title", renderPlain(block.title.text)));
      const img = el("img", "bk-image");
      img.src = block.image_url ?? "";
      img.alt = block.alt_text ?? "";
      node.append(img);
      break;
    }
    case "markdown":
      node.innerHTML = renderMrkdwn(block.text ?? "", ctx);
      break;
    case "rich_text":
      node.innerHTML = renderMrkdwn(
        (block.elements ?? [])
          .flatMap((s) => s.elements ?? [])
          .map((e) => e.text ?? (e.user_id ? `<@${e.user_id}>` : (e.url ?? "")))
          .join(""),
        ctx,
      );
      break;
    default:
      node.textContent = `[unsupported block: ${block.type}]`;
  }
  return node;
}

/** Renders a blocks array into a container element. */
export function renderBlocks(blocks, ctx) {
  const container = el("div", "bk-blocks");
  for (const block of blocks ?? []) container.append(renderBlock(block, ctx));
  return container;
}
