import os from 'node:os';

/** Who is running the CLI, for the audit log and created_by. */
export function cliActor(): string {
  let user = process.env.USER ?? 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // no passwd entry (containers): keep $USER
  }
  return `cli:${user}`;
}
