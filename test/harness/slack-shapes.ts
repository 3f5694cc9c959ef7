import { readFileSync } from "node:fs";

// Slack's published payload shapes and method reference, copied into test/fixtures/slack (see its
// NOTICE). Reading them here, once, keeps every Slack test tied to what Slack publishes rather than
// to what someone remembered Slack sends.

export const SLACK_REFERENCE_DIR = new URL("../fixtures/slack/", import.meta.url);

const cache = new Map<string, unknown>();

function readReference(relativePath: string): unknown {
  let value = cache.get(relativePath);
  if (value === undefined) {
    value = JSON.parse(readFileSync(new URL(relativePath, SLACK_REFERENCE_DIR), "utf8"));
    cache.set(relativePath, value);
  }
  return value;
}

/** A published payload shape, e.g. `app-backend/slash-commands/SlashCommandPayload.json`. */
export function loadShape(relativePath: string): unknown {
  return readReference(`payload-shapes/${relativePath}`);
}

/** The published response shape of a Web API method (`payload-shapes/api/<method>.json`). */
export function loadApiResponseShape(method: string): unknown {
  return readReference(`payload-shapes/api/${method}.json`);
}

export type MethodReference = {
  desc: string;
  http_method: "GET" | "POST";
  json_input_supported?: boolean;
  scope?: { bot?: string[]; user?: string[] };
  args?: { required?: string[]; properties?: Record<string, { desc?: string }> };
  errors?: Record<string, { desc?: string }>;
};

/** Slack's reference for one Web API method, or undefined when Slack publishes none here. */
export function loadMethodReference(method: string): MethodReference | undefined {
  try {
    return readReference(`web-api-methods/${method}.json`) as MethodReference;
  } catch {
    return undefined;
  }
}

type ShapeNode = unknown;
const ANY = Symbol("any");

// Shapes are the union of every payload Slack was seen to send, and arrays list one sample per
// variant (a button, a select, …); merging the samples gives the set of fields any element may carry.
function mergeShapes(a: ShapeNode, b: ShapeNode): ShapeNode {
  if (a === ANY || b === ANY) return ANY;
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  const aObj = a !== null && typeof a === "object" && !Array.isArray(a);
  const bObj = b !== null && typeof b === "object" && !Array.isArray(b);
  if (aObj && bObj) {
    const out: Record<string, ShapeNode> = { ...(a as Record<string, ShapeNode>) };
    for (const [k, v] of Object.entries(b as Record<string, ShapeNode>)) {
      out[k] = k in out ? mergeShapes(out[k], v) : v;
    }
    return out;
  }
  if (aObj || bObj || Array.isArray(a) || Array.isArray(b)) return ANY;
  return typeof a === typeof b ? a : ANY;
}

function mergedElement(shapeArray: ShapeNode[]): ShapeNode {
  return shapeArray.reduce<ShapeNode>(
    (acc, el) => (acc === undefined ? el : mergeShapes(acc, el)),
    undefined,
  );
}

/**
 * Paths in `payload` that Slack's shape does not have, or whose kind differs (object vs string, …).
 * An empty object or array in the shape means "free-form" (e.g. `view.state`, whose keys are block ids).
 * `allowExtra` lists dotted paths known from Slack's docs but missing from the sampled shapes.
 */
export function fieldsOutsideShape(
  payload: unknown,
  shape: unknown,
  allowExtra: readonly string[] = [],
): string[] {
  const problems: string[] = [];
  const walk = (value: unknown, node: ShapeNode, path: string): void => {
    if (node === ANY || value === null || value === undefined) return;
    if (Array.isArray(node)) {
      if (!Array.isArray(value)) {
        problems.push(`${path}: expected an array`);
        return;
      }
      if (node.length === 0) return;
      const element = mergedElement(node);
      value.forEach((v, i) => {
        walk(v, element, `${path}[${i}]`);
      });
      return;
    }
    if (node !== null && typeof node === "object") {
      if (typeof value !== "object" || Array.isArray(value)) {
        problems.push(`${path}: expected an object`);
        return;
      }
      const fields = node as Record<string, ShapeNode>;
      if (Object.keys(fields).length === 0) return;
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        const childPath = path === "" ? key : `${path}.${key}`;
        if (!(key in fields)) {
          if (!allowExtra.includes(childPath)) problems.push(`${childPath}: not in Slack's shape`);
          continue;
        }
        walk(v, fields[key], childPath);
      }
      return;
    }
    if (node !== null && typeof value !== typeof node) {
      problems.push(`${path}: expected ${typeof node}, got ${typeof value}`);
    }
  };
  walk(payload, shape, "");
  return problems;
}
