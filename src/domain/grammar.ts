import { z } from "zod";

/** Collects problems while parsing arguments so the user sees all of them at once. */
export type Report = (message: string) => void;

/**
 * Wraps a hand-written argument parser as a zod schema over the argument text. The parser calls
 * `report` for each problem (and may go on); any report fails the parse with those messages.
 */
export function grammar<T>(parse: (text: string, report: Report) => T) {
  return z.string().transform((text, ctx): T => {
    let failed = false;
    const value = parse(text, (message) => {
      failed = true;
      ctx.addIssue({ code: "custom", message });
    });
    return failed ? (z.NEVER as T) : value;
  });
}
