import type { Subcommand } from './subcommands.js';
import { write } from './io.js';

/** `wandb-skill agent`: not available in this version yet. */
export const agent: Subcommand = async (_args, io) => {
  await write(io.stderr, 'wandb-skill agent: not available in this version yet\n');
  return 2;
};
