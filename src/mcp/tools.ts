/**
 * MCP tools derived from the contract: one tool per value of the input schema's `action` enum, so an
 * action added to schemas/input.schema.json becomes a tool with no change here.
 */
import { describeAction } from './descriptions.js';

export type SchemaNode = Record<string, unknown>;

/** A tool as `tools/list` returns it. */
export interface ToolDefinition {
  name: string;
  title: string;
  description: string;
  inputSchema: SchemaNode & { type: 'object' };
  outputSchema: SchemaNode & { type: 'object' };
}

const isObject = (v: unknown): v is SchemaNode => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The actions named by the input schema's `action` enum, in its order. */
export function actionsOf(input: SchemaNode): string[] {
  const action = (input['properties'] as SchemaNode | undefined)?.['action'];
  const values = isObject(action) ? action['enum'] : undefined;
  if (!Array.isArray(values) || !values.every((v): v is string => typeof v === 'string')) {
    throw new Error('schemas/input.schema.json: properties.action.enum must list the actions');
  }
  return values;
}

/** The actions an `if` tests for when it tests nothing but `action` (const or enum); undefined otherwise. */
function actionCondition(cond: unknown): string[] | undefined {
  if (!isObject(cond)) return undefined;
  const keys = Object.keys(cond).filter((k) => k !== 'required');
  const props = cond['properties'];
  if (keys.length !== 1 || !isObject(props) || Object.keys(props).length !== 1) return undefined;
  const a = props['action'];
  if (!isObject(a)) return undefined;
  if (typeof a['const'] === 'string') return [a['const']];
  if (Array.isArray(a['enum']) && a['enum'].every((v) => typeof v === 'string')) return a['enum'] as string[];
  return undefined;
}

/**
 * Resolves the schema's per-action conditionals for one action: a tool's caller leaves `action` out,
 * and an `if` on `properties.action` alone holds when `action` is absent, so every action's `then`
 * would apply. Conditions on anything else stay as they are.
 */
function specialise(branches: unknown[], action: string): unknown[] {
  const out: unknown[] = [];
  for (const b of branches) {
    const on = isObject(b) ? actionCondition(b['if']) : undefined;
    if (on === undefined || !isObject(b)) {
      out.push(b);
      continue;
    }
    const chosen = on.includes(action) ? b['then'] : b['else'];
    if (chosen !== undefined) out.push(chosen);
  }
  return out;
}

/** The input schema of one action's tool: the contract's schema with `action` fixed to it and optional. */
export function toolInputSchema(input: SchemaNode, action: string): SchemaNode & { type: 'object' } {
  const { $id: _id, title: _title, description, if: cond, then: yes, else: no, allOf, ...rest } = structuredClone(input);
  const properties = { ...(rest['properties'] as SchemaNode) };
  const actionNode = properties['action'];
  properties['action'] = {
    const: action,
    description: `${isObject(actionNode) && typeof actionNode['description'] === 'string' ? actionNode['description'] : 'The action'}; fixed to "${action}" for this tool (may be left out)`,
  };
  const branches = specialise([...(Array.isArray(allOf) ? allOf : []), ...(cond !== undefined ? [{ if: cond, then: yes, else: no }] : [])], action);
  // What a branch now requires unconditionally is also shown at the top, where clients look for it.
  const hoisted = branches.flatMap((b) => (isObject(b) && Array.isArray(b['required']) ? (b['required'] as string[]) : []));
  const required = [...new Set([...(Array.isArray(rest['required']) ? (rest['required'] as string[]) : []), ...hoisted])].filter((r) => r !== 'action');
  return {
    ...rest,
    ...(typeof description === 'string' ? { description } : {}),
    type: 'object',
    properties,
    required,
    ...(branches.length > 0 ? { allOf: branches } : {}),
  };
}

/** The output schema as tools declare it (the client validates structuredContent against it). */
export function toolOutputSchema(output: SchemaNode): SchemaNode & { type: 'object' } {
  return { ...structuredClone(output), type: 'object' };
}

/**
 * Every tool, derived from the contract's schemas and SKILL.md's examples.
 *
 * @example
 * deriveTools(inputSchema, outputSchema, skillMd).map((t) => t.name) // ['init', 'log', ...]
 */
export function deriveTools(input: SchemaNode, output: SchemaNode, skillText: string | undefined): ToolDefinition[] {
  const outputSchema = toolOutputSchema(output);
  return actionsOf(input).map((action) => ({
    name: action,
    title: `W&B ${action}`,
    description: describeAction(action, input, skillText),
    inputSchema: toolInputSchema(input, action),
    outputSchema,
  }));
}
