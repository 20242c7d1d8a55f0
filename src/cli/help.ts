export const HELP = `wandb-skill: W&B-style experiment tracking from a shell (wandb-experiment-tracker)

Usage:
  wandb-skill '<json>'                       run one skill call given as a JSON argument
  wandb-skill --input ctx.json [--output result.json]
                                             read the context from a file (the orchestrator's
                                             inputs.json) and write the result to a file
  echo '<json>' | wandb-skill                read the context from standard input
  wandb-skill --input task.json --task-post DIR
                                             an orchestrator's task: also write DIR/skill-value.json
                                             (success) or DIR/skill-error.json ({name, message, data})
                                             for babysitter task:post --value / --error
  wandb-skill sync [RUN_ID ...]              upload runs that have unsent data to the W&B server
  wandb-skill agent SWEEP_ID [--count N]     run a sweep's program for the sweep's next runs
  wandb-skill serve [--port N] [--host H]    the local dashboard over the store
  wandb-skill import PATH... [--replace]     W&B offline run folders / .wandb files into the store
  wandb-skill export [RUN_ID ...] [--out DIR]  runs as W&B offline run folders for wandb sync
  wandb-skill mcp [--http [PORT]]            a Model Context Protocol server (stdio, or HTTP)
  wandb-skill help | --help | -h             this text
  wandb-skill --version                      the package version

The JSON is a skill context ({"action": "init"|"log"|"finish"|"sweep"|"artifact"|"alert"|"report", ...})
or the orchestrator's envelope ({"kind": "skill", "skill": {"name": "wandb-experiment-tracker",
"context": {...}}}). Input may use bare NaN, Infinity and -Infinity as numbers. See SKILL.md and
schemas/input.schema.json for every field.

Output: exactly one JSON document on stdout (or in --output), valid against
schemas/output.schema.json; NaN/Infinity values appear as the strings "NaN"/"Infinity".
Logs go to stderr (--log-level debug|info|warn|error|silent, or WANDB_SKILL_LOG_LEVEL; default warn).
--input must be a regular file of at most 64 MiB (pipe anything else on standard input).
--output must name a file in an existing folder, not the store or its -wal/-shm files; it is
checked before the call runs. If it cannot be written after the call, the document goes to
stdout with a warning.

Exit codes: 0 when status is "success", 1 when "error", 2 for a usage error (nothing runs; a JSON
error document is printed on stdout too, also by agent, serve and sync).

Examples:
  wandb-skill '{"action":"init","project":"demo","runConfig":{"name":"baseline","config":{"lr":0.01}}}'
  wandb-skill '{"action":"log","project":"demo","runId":"<id>","logData":{"metrics":{"loss":0.42}}}'
  wandb-skill '{"action":"finish","project":"demo","runId":"<id>","exitCode":0}'

Environment (as in W&B's SDK): WANDB_MODE (online|offline|disabled), WANDB_API_KEY, WANDB_BASE_URL,
WANDB_ENTITY, WANDB_PROJECT, WANDB_DIR (the store is <dir>/wandb/skill-store.sqlite; default: the
working directory), WANDB_RUN_ID, WANDB_NAME, WANDB_NOTES, WANDB_TAGS, WANDB_RUN_GROUP,
WANDB_JOB_TYPE, WANDB_RESUME. WANDB_SKILL_STORE overrides the store file.
`;

/** What follows a usage error's message on stderr. */
export const HELP_HINT = "Run 'wandb-skill --help' for usage.\n";
