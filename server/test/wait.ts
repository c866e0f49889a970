export interface WaitForOptions {
  /** How long to keep asking before giving up; 5 s unless given. */
  timeoutMs?: number;
  /** The pause between two asks; 20 ms unless given. */
  intervalMs?: number;
  /** What is awaited, for the error on timeout; a function is asked only then (to show late output). */
  message?: string | (() => string);
}

/**
 * Asks `condition` until it answers something truthy and returns that answer; throws naming `message`
 * once `timeoutMs` has passed. Tests wait for what they need to see rather than for a fixed time, which
 * is either too short on a slow machine or wasted on a fast one. An exception from `condition` ends the
 * wait at once (a condition that fails for a while, such as a server not listening yet, catches it).
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  { timeoutMs = 5_000, intervalMs = 20, message = 'the condition' }: WaitForOptions = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await condition();
    if (answer) return answer as NonNullable<T>;
    if (Date.now() >= deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${typeof message === 'function' ? message() : message}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
