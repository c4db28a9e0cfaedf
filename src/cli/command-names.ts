/** lfvaudit's commands, in the order its usage lists them: main.ts loads one module for each. */
export const COMMAND_NAMES = ['run', 'init', 'findings', 'rules', 'explain', 'state'] as const;

export type CommandName = (typeof COMMAND_NAMES)[number];
