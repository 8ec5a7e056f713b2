/**
 * What Restricted Mode allows (package.json: `capabilities.untrustedWorkspaces.supported =
 * "limited"`). No `vscode` import, so it can be unit-tested; the controller and files.ts pass
 * `workspace.isTrusted`.
 */

/** The message a cell shows when it is asked to run in an untrusted workspace. */
export const RESTRICTED_RUN_MESSAGE =
  'Cells do not run in Restricted Mode. Trust this workspace (Manage Workspace Trust) to run ' +
  'them; saved outputs stay visible.';

/**
 * What an action may do in a workspace of this trust: opening, reading saved outputs and editing
 * are always allowed.
 */
export function trustDecision(
  action: 'open' | 'edit' | 'run' | 'readDataFile',
  trusted: boolean,
): { allowed: true } | { allowed: false; reason: string } {
  if (trusted || action === 'open' || action === 'edit') return { allowed: true };
  if (action === 'run') return { allowed: false, reason: RESTRICTED_RUN_MESSAGE };
  return {
    allowed: false,
    reason: 'Reading files is disabled in Restricted Mode: trust the workspace to read data files.',
  };
}
