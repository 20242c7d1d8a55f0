import { SkillError } from './errors.js';

/** The skill's name, as an orchestrator's envelope names it. */
export const SKILL_NAME = 'wandb-experiment-tracker';

/** The context inside the orchestrator's `{kind: "skill", skill: {name, context}}` envelope, or the context as given. */
export function unwrap(context: unknown): unknown {
  if (typeof context === 'object' && context !== null && !Array.isArray(context) && (context as { kind?: unknown }).kind === 'skill') {
    const skill = (context as { skill?: unknown }).skill;
    if (typeof skill !== 'object' || skill === null || Array.isArray(skill)) {
      throw new SkillError('INVALID_INPUT', 'skill: the envelope needs an object {name, context}', {
        details: { issues: [{ path: 'skill', message: 'must be an object {name, context}' }] },
      });
    }
    const { name, context: inner } = skill as { name?: unknown; context?: unknown };
    if (name !== undefined && name !== SKILL_NAME) {
      throw new SkillError('INVALID_INPUT', `skill.name: this skill is ${SKILL_NAME}, not ${String(name)}`, {
        details: { issues: [{ path: 'skill.name', message: `must be "${SKILL_NAME}"` }] },
      });
    }
    if (typeof inner !== 'object' || inner === null) {
      throw new SkillError('INVALID_INPUT', 'skill.context: must be an object', {
        details: { issues: [{ path: 'skill.context', message: 'must be an object' }] },
      });
    }
    return inner;
  }
  return context;
}

/** The action a context names, for the output of a call refused before validation ('unknown' if none). */
export function actionOf(context: unknown): string {
  try {
    const inner = unwrap(context) as { action?: unknown };
    return typeof inner?.action === 'string' && inner.action.length <= 64 ? inner.action : 'unknown';
  } catch {
    return 'unknown';
  }
}
