import type { Subcommand } from './subcommands.js';
import { write } from './io.js';

/** `wandb-skill sync`: not available in this version yet. */
export const sync: Subcommand = async (_args, io) => {
  await write(io.stderr, 'wandb-skill sync: not available in this version yet\n');
  return 2;
};
