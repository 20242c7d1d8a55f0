/**
 * Tool descriptions from the text agents already read: SKILL.md's example of the action (what it does,
 * an input, the answer) and the schema's property descriptions that name it. Nothing is restated here,
 * so the descriptions follow the contract's documentation as it changes.
 */
import type { SchemaNode } from './tools.js';

/** Long enough for an example and its answer; a tool list stays readable with every tool's text. */
const MAX_DESCRIPTION = 2400;

const COMMON =
  "Returns the skill's output document as structuredContent (status, action, runId, ...; see the output schema). " +
  'A refused call sets isError, and error.code with error.details.issues[].path names what to fix.';

/** SKILL.md's `## Examples` block for `action` (`action:` or `action (what it is):` up to the next one). */
export function skillExample(skillText: string, action: string): string | undefined {
  const start = skillText.indexOf('\n## Examples');
  if (start < 0) return undefined;
  const after = skillText.indexOf('\n## ', start + 1);
  const lines = skillText.slice(start, after < 0 ? undefined : after).split('\n');
  const header = /^([a-z][a-zA-Z-]*)(?: \((.*)\))?:$/;
  let found: string[] | undefined;
  for (const line of lines) {
    const m = header.exec(line);
    if (m !== null) {
      if (found !== undefined) break;
      if (m[1] === action) found = [m[2] !== undefined ? `${m[2]}.` : ''];
      continue;
    }
    found?.push(line);
  }
  if (found === undefined) return undefined;
  return found
    .join('\n')
    .replace(/```json\n/g, 'Example input: ')
    .replace(/```\n?/g, '')
    .replace(/\n{2,}/g, '\n')
    .trim();
}

/** Property descriptions of the input schema that say what a field means for the action (`sweep: create ...`, `finish: the run's exit code`). */
function mentions(input: SchemaNode, action: string): string[] {
  const props = (input['properties'] ?? {}) as Record<string, { description?: unknown }>;
  const word = new RegExp(`(^|; |\\()${action}:`);
  const out: string[] = [];
  for (const [name, node] of Object.entries(props)) {
    if (name === 'action' || typeof node.description !== 'string') continue;
    if (word.test(node.description)) out.push(`${name}: ${node.description}`);
  }
  return out;
}

/** The description of the tool for `action`. */
export function describeAction(action: string, input: SchemaNode, skillText: string | undefined): string {
  const example = skillText === undefined ? undefined : skillExample(skillText, action);
  const parts = [`W&B \`${action}\` action of wandb-experiment-tracker (the same call as the CLI's {"action": "${action}", ...}).`];
  if (example !== undefined) parts.push(example);
  const related = mentions(input, action);
  if (related.length > 0) parts.push(`Fields for ${action}:\n- ${related.join('\n- ')}`);
  const text = parts.join('\n');
  const room = MAX_DESCRIPTION - COMMON.length - 20;
  return `${text.length <= room ? text : `${text.slice(0, room)}... (see SKILL.md)`}\n${COMMON}`;
}
