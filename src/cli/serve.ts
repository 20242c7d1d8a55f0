import type { Subcommand } from './subcommands.js';
import { write } from './io.js';

/** `wandb-skill serve`: not available in this version yet. */
export const serve: Subcommand = async (_args, io) => {
  await write(io.stderr, 'wandb-skill serve: not available in this version yet\n');
  return 2;
};
