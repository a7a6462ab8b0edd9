/** How an adapter answers an inbound request whose platform wants a first answer by a deadline. */
export interface DeadlineAnswer<T> {
  /** The work finished in time: answer with its result directly. */
  inTime(result: T): Promise<void>;
  /** The deadline passed first: acknowledge now (Slack: empty ack; Discord: defer). */
  defer(): Promise<void>;
  /** The work finished after the deferral: send its result the late way. */
  late(result: T): Promise<void>;
}

/**
 * Answers within a platform's deadline or defers: races the work against `deadlineMs`, answers in
 * time when it can, else acknowledges and answers when the work is done. Returns the result.
 * Platform-neutral; the adapter supplies the three ways to answer.
 */
export async function answerWithinDeadline<T>(
  work: Promise<T>,
  deadlineMs: number,
  answer: DeadlineAnswer<T>,
): Promise<T> {
  const pending = Symbol("pending");
  let timer: NodeJS.Timeout | undefined;
  const early = await Promise.race([
    work,
    new Promise<typeof pending>((resolve) => {
      timer = setTimeout(() => resolve(pending), deadlineMs);
    }),
  ]).finally(() => clearTimeout(timer));
  if (early !== pending) {
    await answer.inTime(early);
    return early;
  }
  await answer.defer();
  const result = await work;
  await answer.late(result);
  return result;
}
