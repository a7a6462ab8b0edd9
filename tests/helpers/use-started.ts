import { afterAll, afterEach, beforeAll } from "vitest";

/**
 * Registers vitest hooks in the current suite: `start()` before all tests, `reset` after each (if given),
 * `stop()` after all. Returns a stand-in that forwards every property to the started value, so a suite
 * can hold it in a `const` and read `h.fake`, `h.app`, … inside its tests.
 */
export function useStarted<T extends { stop(): Promise<void> }>(
  what: string,
  start: () => Promise<T>,
  reset?: (started: T) => void,
): T {
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
  });
  if (reset) afterEach(() => started && reset(started));
  afterAll(async () => {
    await started?.stop();
  });
  return new Proxy({} as T, {
    get(_target, prop) {
      if (!started) throw new Error(`the ${what} is used before beforeAll started it`);
      return Reflect.get(started, prop);
    },
  });
}
