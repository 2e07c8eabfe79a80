import type { Command } from './Command.ts';
import { get } from './commands/get.ts';
import { ls } from './commands/ls.ts';
import { mv } from './commands/mv.ts';
import { restore } from './commands/restore.ts';
import { rm } from './commands/rm.ts';
import { trash } from './commands/trash.ts';
import { upload } from './commands/upload.ts';

/** Every command, in the order --help lists them. */
export const commands: readonly Command[] = [upload, ls, get, mv, rm, trash, restore];
