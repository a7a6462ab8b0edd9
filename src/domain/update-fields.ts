import { z } from "zod";
import type { KrStatus } from "./kr-status.ts";
import { parseStatusWord, STATUS_WORDS } from "./status-words.ts";
import { parseHumanNumber } from "./words.ts";

/** The longest note a check-in may carry. */
export const MAX_NOTE_LENGTH = 2000;

/** A check-in as typed, field by field, before validation: the text command and every form produce this. */
export interface RawUpdateFields {
  ref: string;
  status?: string;
  percent?: string;
  values: { key: string; raw: string }[];
  note: string;
}

/** A validated check-in, before the KR and its metrics are looked up. */
export interface UpdateArgs {
  ref: string;
  status?: Exclude<KrStatus, "none">;
  percent?: number;
  values: { key: string; value: number; typed: string }[];
  note: string;
}

/** Messages that name what to type; the text grammar prefixes them with the word that was typed. */
export const FIELD_MESSAGES = {
  ref: "Tell me which key result to update, like `IV.KR2`.",
  status: `isn't a status; use one of ${STATUS_WORDS.join(", ")}.`,
  percent: "progress is a percentage from 0% to 100%, like `40%`.",
  number: "expected a number like `25`, `7,000` or `12.5`.",
  nothing:
    "Tell me what changed: a status (on-track, at-risk, off-track, done), a %, metric=value pairs, or a note.",
} as const;

/**
 * The one schema a check-in passes, whether typed as `/kr update …` or submitted from a Slack or
 * Discord form. Issue paths name the field (`percent`, `values.2.raw`, `note`) so forms can show
 * each error beside its input.
 */
export const UpdateFieldsSchema = z
  .object({
    ref: z.string().trim().min(1, FIELD_MESSAGES.ref),
    status: z
      .string()
      .optional()
      .transform((s, ctx) => {
        if (s === undefined || s === "") return undefined;
        const status = parseStatusWord(s);
        if (!status) ctx.addIssue({ code: "custom", message: FIELD_MESSAGES.status });
        return status;
      }),
    percent: z
      .string()
      .optional()
      .transform((s, ctx) => {
        if (s === undefined || s.trim() === "") return undefined;
        const digits = s.trim().replace(/%$/, "");
        const n = /^\d{1,3}(?:\.\d+)?$/.test(digits) ? Number(digits) : Number.NaN;
        if (!(n >= 0 && n <= 100)) ctx.addIssue({ code: "custom", message: FIELD_MESSAGES.percent });
        return n;
      }),
    values: z.array(
      z
        .object({
          key: z.string().regex(/^[a-z][a-z0-9_-]*$/, "metric names are words like `teachers_reached`."),
          raw: z.string(),
        })
        .transform((v, ctx) => {
          const value = parseHumanNumber(v.raw);
          if (value === undefined)
            ctx.addIssue({ code: "custom", path: ["raw"], message: FIELD_MESSAGES.number });
          return { key: v.key, value: value as number, typed: `${v.key}=${v.raw}` };
        }),
    ),
    note: z
      .string()
      .transform((s) => s.trim())
      .refine((s) => s.length <= MAX_NOTE_LENGTH, {
        error: (issue) =>
          `Your note is ${String(issue.input).length.toLocaleString("en-US")} characters; the limit is 2,000. Shorten it or link to a doc.`,
      }),
  })
  .transform((f, ctx): UpdateArgs => {
    if (!f.status && f.percent === undefined && f.values.length === 0 && !f.note) {
      ctx.addIssue({ code: "custom", path: [], message: FIELD_MESSAGES.nothing });
    }
    return {
      ref: f.ref,
      ...(f.status ? { status: f.status } : {}),
      ...(f.percent !== undefined ? { percent: f.percent } : {}),
      values: f.values,
      note: f.note,
    };
  });
