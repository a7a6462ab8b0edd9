/**
 * An error meant for the person who typed the command: its message is shown as is.
 * Anything that is not a UserError is internal and never shown (see dispatch).
 */
export class UserError extends Error {
  override readonly name = "UserError";
  /** Extra lines shown under the message, e.g. "did you mean" suggestions or usage. */
  readonly hints: string[];
  constructor(message: string, hints: string[] = []) {
    super(message);
    this.hints = hints;
  }
}
