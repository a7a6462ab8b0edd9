import { describe, expect, it } from "vitest";
import { digestWindowStart } from "../../src/core/digest/gather.ts";
import {
  isoWeekKey,
  latestOccurrence,
  localDateIn,
  nextOccurrence,
  nextToSend,
  type Occurrence,
  occurrencesBetween,
  parseWeeklyRule,
  startOfLocalWeek,
  type WeeklyRule,
} from "../../src/domain/occurrences.ts";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const iso = (o: Occurrence) => o.at.toISOString();
const utc = (s: string) => new Date(s);

/** The UTC offset name Intl shows for `zone` at `at`, e.g. "GMT+11:00" (compared, never computed with). */
function offsetName(at: number, zone: string): string {
  let fmt = offsetFormats.get(zone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" });
    offsetFormats.set(zone, fmt);
  }
  return fmt.formatToParts(at).find((p) => p.type === "timeZoneName")?.value ?? "";
}
const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** Every offset change of `zone` in `year`, found by scanning the tz data hourly then bisecting to the minute. */
function transitions(zone: string, year: number): { at: string; from: string; to: string }[] {
  const out: { at: string; from: string; to: string }[] = [];
  const end = Date.UTC(year + 1, 0, 1);
  let after = offsetName(Date.UTC(year, 0, 1), zone);
  for (let t = Date.UTC(year, 0, 1); t < end; t += HOUR) {
    const before = after;
    after = offsetName(t + HOUR, zone);
    if (before === after) continue;
    let lo = t;
    let hi = t + HOUR;
    while (hi - lo > 60_000) {
      const mid = lo + (hi - lo) / 2;
      if (offsetName(mid, zone) === before) lo = mid;
      else hi = mid;
    }
    out.push({ at: new Date(hi).toISOString(), from: before, to: after });
  }
  return out;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a YYYY-MM-DD calendar date. */
function weekdayOf(localDate: string): number {
  return new Date(`${localDate}T00:00:00Z`).getUTCDay() || 7;
}

describe("the Monday 09:00 Europe/Berlin digest (acceptance)", () => {
  it("fires each Monday at 08:00 UTC before 28 March and at 07:00 UTC after it", () => {
    const rule = { weekday: 1, time: "09:00", timezone: "Europe/Berlin" };
    const list = occurrencesBetween(rule, utc("2027-03-01T00:00:00Z"), utc("2027-04-15T00:00:00Z"));
    expect(list.map(iso)).toEqual([
      "2027-03-01T08:00:00.000Z",
      "2027-03-08T08:00:00.000Z",
      "2027-03-15T08:00:00.000Z",
      "2027-03-22T08:00:00.000Z",
      "2027-03-29T07:00:00.000Z",
      "2027-04-05T07:00:00.000Z",
      "2027-04-12T07:00:00.000Z",
    ]);
    expect(list.every((o) => o.localTime === "09:00")).toBe(true);
    expect(list.map((o) => o.periodKey)).toEqual([
      "2027-W09",
      "2027-W10",
      "2027-W11",
      "2027-W12",
      "2027-W13",
      "2027-W14",
      "2027-W15",
    ]);
  });
});

describe("the 2027 DST transitions the tests rely on, read from the tz data via Intl", () => {
  it.each([
    [
      "America/New_York",
      [
        { at: "2027-03-14T07:00:00.000Z", from: "GMT-05:00", to: "GMT-04:00" },
        { at: "2027-11-07T06:00:00.000Z", from: "GMT-04:00", to: "GMT-05:00" },
      ],
    ],
    [
      "Europe/Berlin",
      [
        { at: "2027-03-28T01:00:00.000Z", from: "GMT+01:00", to: "GMT+02:00" },
        { at: "2027-10-31T01:00:00.000Z", from: "GMT+02:00", to: "GMT+01:00" },
      ],
    ],
    [
      "Australia/Sydney",
      [
        { at: "2027-04-03T16:00:00.000Z", from: "GMT+11:00", to: "GMT+10:00" },
        { at: "2027-10-02T16:00:00.000Z", from: "GMT+10:00", to: "GMT+11:00" },
      ],
    ],
    ["Asia/Kolkata", []],
  ])("%s changes offset exactly at the hard-coded instants", (zone, expected) => {
    expect(transitions(zone, 2027)).toEqual(expected);
  });
});

describe("DST gaps and overlaps", () => {
  // [zone, weekday, time, the local transition day, the one expected firing, wall clock it shows]
  const cases: [string, string, number, string, string, string, string][] = [
    [
      "New York spring forward: 02:30 does not exist",
      "America/New_York",
      7,
      "02:30",
      "2027-03-14",
      "2027-03-14T07:00:00.000Z",
      "03:00",
    ],
    [
      "New York spring forward: 01:30 is still EST",
      "America/New_York",
      7,
      "01:30",
      "2027-03-14",
      "2027-03-14T06:30:00.000Z",
      "01:30",
    ],
    [
      "New York spring forward: 03:30 is already EDT",
      "America/New_York",
      7,
      "03:30",
      "2027-03-14",
      "2027-03-14T07:30:00.000Z",
      "03:30",
    ],
    [
      "New York fall back: 01:30 happens twice",
      "America/New_York",
      7,
      "01:30",
      "2027-11-07",
      "2027-11-07T05:30:00.000Z",
      "01:30",
    ],
    [
      "New York fall back: 02:30 happens once (EST)",
      "America/New_York",
      7,
      "02:30",
      "2027-11-07",
      "2027-11-07T07:30:00.000Z",
      "02:30",
    ],
    [
      "Berlin spring forward: 02:30 does not exist",
      "Europe/Berlin",
      7,
      "02:30",
      "2027-03-28",
      "2027-03-28T01:00:00.000Z",
      "03:00",
    ],
    [
      "Berlin fall back: 02:30 happens twice",
      "Europe/Berlin",
      7,
      "02:30",
      "2027-10-31",
      "2027-10-31T00:30:00.000Z",
      "02:30",
    ],
    [
      "Sydney spring forward (October): 02:30 does not exist",
      "Australia/Sydney",
      7,
      "02:30",
      "2027-10-03",
      "2027-10-02T16:00:00.000Z",
      "03:00",
    ],
    [
      "Sydney fall back (April): 02:30 happens twice",
      "Australia/Sydney",
      7,
      "02:30",
      "2027-04-04",
      "2027-04-03T15:30:00.000Z",
      "02:30",
    ],
    [
      "Kolkata on New York's spring day: no DST",
      "Asia/Kolkata",
      7,
      "02:30",
      "2027-03-14",
      "2027-03-13T21:00:00.000Z",
      "02:30",
    ],
    [
      "Kolkata on Berlin's spring day: no DST",
      "Asia/Kolkata",
      7,
      "02:30",
      "2027-03-28",
      "2027-03-27T21:00:00.000Z",
      "02:30",
    ],
    [
      "Kolkata on Sydney's fall-back day: no DST",
      "Asia/Kolkata",
      7,
      "02:30",
      "2027-04-04",
      "2027-04-03T21:00:00.000Z",
      "02:30",
    ],
    [
      "Kolkata on Sydney's spring day: no DST",
      "Asia/Kolkata",
      7,
      "02:30",
      "2027-10-03",
      "2027-10-02T21:00:00.000Z",
      "02:30",
    ],
    [
      "Kolkata on Berlin's fall-back day: no DST",
      "Asia/Kolkata",
      7,
      "02:30",
      "2027-10-31",
      "2027-10-30T21:00:00.000Z",
      "02:30",
    ],
    [
      "Kolkata on New York's fall-back day: no DST",
      "Asia/Kolkata",
      7,
      "02:30",
      "2027-11-07",
      "2027-11-06T21:00:00.000Z",
      "02:30",
    ],
  ];

  it.each(cases)(
    "%s: fires exactly once, at the expected instant",
    (_name, timezone, weekday, time, day, at, shows) => {
      const rule = { weekday, time, timezone };
      const dayUtc = utc(`${day}T00:00:00Z`).getTime();
      const list = occurrencesBetween(rule, new Date(dayUtc - 2 * DAY), new Date(dayUtc + 2 * DAY));
      expect(list.map(iso)).toEqual([at]);
      expect(list[0]?.localDate).toBe(day);
      expect(list[0]?.localTime).toBe(shows);
    },
  );

  it("a repeated hour fires at the first pass only, even when asked from inside it", () => {
    const rule = { weekday: 7, time: "01:30", timezone: "America/New_York" };
    // 05:45Z is 01:45 EDT; the second 01:30 (EST) is still ahead, at 06:30Z, and must not fire.
    expect(iso(nextOccurrence(rule, utc("2027-11-07T05:45:00Z")))).toBe("2027-11-14T06:30:00.000Z");
    expect(iso(nextOccurrence(rule, utc("2027-11-07T05:30:00Z")))).toBe("2027-11-14T06:30:00.000Z");
    expect(latestOccurrence(rule, utc("2027-11-07T06:30:00Z"))?.at.toISOString()).toBe(
      "2027-11-07T05:30:00.000Z",
    );
    const from = utc("2027-11-07T05:31:00Z");
    expect(occurrencesBetween(rule, from, utc("2027-11-07T07:00:00Z"))).toEqual([]);
  });

  it("Kolkata fires at the same UTC time all year", () => {
    const rule = { weekday: 1, time: "09:00", timezone: "Asia/Kolkata" };
    const list = occurrencesBetween(rule, utc("2027-01-01T00:00:00Z"), utc("2028-01-01T00:00:00Z"));
    expect(list).toHaveLength(52);
    expect(new Set(list.map((o) => o.at.toISOString().slice(10)))).toEqual(new Set(["T03:30:00.000Z"]));
  });
});

describe("one occurrence per ISO week", () => {
  const zones = ["America/New_York", "Europe/Berlin", "Australia/Sydney", "Asia/Kolkata"];
  const times = ["00:00", "01:30", "02:30", "09:00", "23:30"];

  it.each(zones)(
    "%s: every weekday and time fires once in each week of ISO years 2026 (53) and 2027 (52)",
    (zone) => {
      const gapDays = new Set(
        transitions(zone, 2026)
          .concat(transitions(zone, 2027))
          .map((t) => localDateIn(utc(t.at), zone)),
      );
      for (const [year, weeks, firstMonday, nextFirstMonday] of [
        [2026, 53, "2025-12-29", "2027-01-04"],
        [2027, 52, "2027-01-04", "2028-01-03"],
      ] as const) {
        // Midday UTC on the Monday lies inside that local Monday's week in all four zones.
        const from = startOfLocalWeek(utc(`${firstMonday}T12:00:00Z`), zone);
        const to = startOfLocalWeek(utc(`${nextFirstMonday}T12:00:00Z`), zone);
        for (let weekday = 1; weekday <= 7; weekday++) {
          for (const time of times) {
            const list = occurrencesBetween({ weekday, time, timezone: zone }, from, to);
            const keys = list.map((o) => o.periodKey);
            expect(keys).toEqual(
              Array.from({ length: weeks }, (_, i) => `${year}-W${String(i + 1).padStart(2, "0")}`),
            );
            for (const o of list) {
              expect(weekdayOf(o.localDate)).toBe(weekday);
              if (!gapDays.has(o.localDate)) expect(o.localTime).toBe(time);
            }
          }
        }
      }
    },
  );

  it("the period is the local week: local Monday/Sunday near midnight ignores the UTC week", () => {
    // Monday 00:30 in Sydney is Sunday 13:30 UTC, still the previous UTC week.
    const sydneyMonday = occurrencesBetween(
      { weekday: 1, time: "00:30", timezone: "Australia/Sydney" },
      utc("2027-03-07T00:00:00Z"),
      utc("2027-03-08T00:00:00Z"),
    );
    expect(sydneyMonday.map((o) => [iso(o), o.localDate, o.periodKey])).toEqual([
      ["2027-03-07T13:30:00.000Z", "2027-03-08", "2027-W10"],
    ]);
    // Sunday 23:30 in Sydney belongs to the week ending that Sunday.
    const sydneySunday = occurrencesBetween(
      { weekday: 7, time: "23:30", timezone: "Australia/Sydney" },
      utc("2027-03-07T00:00:00Z"),
      utc("2027-03-08T00:00:00Z"),
    );
    expect(sydneySunday.map((o) => [iso(o), o.localDate, o.periodKey])).toEqual([
      ["2027-03-07T12:30:00.000Z", "2027-03-07", "2027-W09"],
    ]);
    // Sunday 23:30 in New York is Monday 04:30 UTC, yet it closes the local week.
    const newYorkSunday = occurrencesBetween(
      { weekday: 7, time: "23:30", timezone: "America/New_York" },
      utc("2027-03-08T00:00:00Z"),
      utc("2027-03-09T00:00:00Z"),
    );
    expect(newYorkSunday.map((o) => [iso(o), o.localDate, o.periodKey])).toEqual([
      ["2027-03-08T04:30:00.000Z", "2027-03-07", "2027-W09"],
    ]);
  });
});

describe("agreement with a wall-clock scan", () => {
  // The rule stated as a scan: on each matching local day, fire at the first instant whose wall clock reads
  // at least the rule's time. Gaps, overlaps and midnight transitions (Santiago) and a 30-minute shift
  // (Lord Howe) all fall out of that definition. A 15-minute scan step is enough: every transition here
  // and every tested time is on a quarter hour.
  const zones = [
    "America/New_York",
    "Europe/Berlin",
    "Australia/Sydney",
    "Asia/Kolkata",
    "America/Santiago",
    "Australia/Lord_Howe",
  ];
  const times = ["00:00", "00:30", "01:30", "02:00", "02:15", "02:30", "03:00", "23:30"];
  const step = 15 * 60_000;

  it.each(zones)("%s: 2027 occurrences equal the scan for Saturday and Sunday rules", (zone) => {
    const fmt = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      hour: "2-digit",
      minute: "2-digit",
    });
    const scan: { t: number; date: string; time: string }[] = [];
    for (let t = Date.UTC(2026, 11, 29); t < Date.UTC(2028, 0, 3); t += step) {
      scan.push({ t, date: localDateIn(new Date(t), zone), time: fmt.format(t) });
    }
    const from = utc("2027-01-01T00:00:00Z");
    const to = utc("2028-01-01T00:00:00Z");
    for (const weekday of [6, 7]) {
      for (const time of times) {
        const expected: string[] = [];
        const seen = new Set<string>();
        for (const s of scan) {
          if (seen.has(s.date) || weekdayOf(s.date) !== weekday || s.time < time) continue;
          seen.add(s.date);
          if (s.t >= from.getTime() && s.t < to.getTime()) expected.push(new Date(s.t).toISOString());
        }
        const actual = occurrencesBetween({ weekday, time, timezone: zone }, from, to).map(iso);
        expect(actual, `${zone} ${weekday} ${time}`).toEqual(expected);
      }
    }
  });
});

describe("latestOccurrence and nextOccurrence around the firing instant", () => {
  const rule: WeeklyRule = { weekday: 1, time: "09:00", timezone: "Europe/Berlin" };
  const firing = utc("2027-03-29T07:00:00Z");

  it("counts an occurrence exactly at now as the latest", () => {
    expect(latestOccurrence(rule, firing)?.at.toISOString()).toBe("2027-03-29T07:00:00.000Z");
    expect(latestOccurrence(rule, new Date(firing.getTime() - 1))?.at.toISOString()).toBe(
      "2027-03-22T08:00:00.000Z",
    );
  });

  it("looks back a whole week for the latest", () => {
    expect(latestOccurrence(rule, utc("2027-04-05T06:59:59.999Z"))?.at.toISOString()).toBe(
      "2027-03-29T07:00:00.000Z",
    );
  });

  it("returns the first occurrence strictly after the given instant as next", () => {
    expect(iso(nextOccurrence(rule, new Date(firing.getTime() - 1)))).toBe("2027-03-29T07:00:00.000Z");
    expect(iso(nextOccurrence(rule, firing))).toBe("2027-04-05T07:00:00.000Z");
    expect(nextOccurrence(rule, firing)).toEqual({
      at: utc("2027-04-05T07:00:00Z"),
      localDate: "2027-04-05",
      localTime: "09:00",
      periodKey: "2027-W14",
    });
  });

  it("includes from and excludes to in occurrencesBetween", () => {
    expect(occurrencesBetween(rule, firing, new Date(firing.getTime() + 1)).map(iso)).toEqual([
      "2027-03-29T07:00:00.000Z",
    ]);
    expect(occurrencesBetween(rule, new Date(firing.getTime() - DAY), firing)).toEqual([]);
  });
});

describe("isoWeekKey", () => {
  it.each([
    ["2026-12-31", "2026-W53"],
    ["2027-01-01", "2026-W53"],
    ["2027-01-03", "2026-W53"],
    ["2027-01-04", "2027-W01"],
    ["2024-12-30", "2025-W01"],
    ["2027-03-08", "2027-W10"],
    ["2027-12-31", "2027-W52"],
    ["2028-01-02", "2027-W52"],
  ])("%s is in %s", (date, key) => {
    expect(isoWeekKey(date)).toBe(key);
  });
});

describe("startOfLocalWeek", () => {
  it.each([
    ["Sydney, a Wednesday", "Australia/Sydney", "2027-03-10T05:00:00Z", "2027-03-07T13:00:00.000Z"],
    [
      "Sydney, Monday 00:30 local (still Sunday in UTC)",
      "Australia/Sydney",
      "2027-03-07T13:30:00Z",
      "2027-03-07T13:00:00.000Z",
    ],
    [
      "Sydney, the fall-back Sunday (week began in AEDT)",
      "Australia/Sydney",
      "2027-04-04T05:00:00Z",
      "2027-03-28T13:00:00.000Z",
    ],
    [
      "Sydney, the week after fall-back (AEST)",
      "Australia/Sydney",
      "2027-04-07T05:00:00Z",
      "2027-04-04T14:00:00.000Z",
    ],
    [
      "New York, the spring-forward Sunday",
      "America/New_York",
      "2027-03-14T12:00:00Z",
      "2027-03-08T05:00:00.000Z",
    ],
    [
      "New York, Sunday 23:30 local (Monday in UTC)",
      "America/New_York",
      "2027-03-08T04:30:00Z",
      "2027-03-01T05:00:00.000Z",
    ],
    [
      "New York, exactly Monday 00:00 local",
      "America/New_York",
      "2027-03-15T04:00:00Z",
      "2027-03-15T04:00:00.000Z",
    ],
    [
      "New York, 1 ms before Monday 00:00 local",
      "America/New_York",
      "2027-03-15T03:59:59.999Z",
      "2027-03-08T05:00:00.000Z",
    ],
  ])("%s", (_name, zone, at, expected) => {
    expect(startOfLocalWeek(utc(at), zone).toISOString()).toBe(expected);
  });
});

describe("parseWeeklyRule", () => {
  it.each([
    [["mon", "9:00", "Europe/Berlin"], { weekday: 1, time: "09:00", timezone: "Europe/Berlin" }],
    [["Monday", "09:00", "Europe/Berlin"], { weekday: 1, time: "09:00", timezone: "Europe/Berlin" }],
    [["MON", "21:30", "America/New_York"], { weekday: 1, time: "21:30", timezone: "America/New_York" }],
    [["1", "00:00", "Australia/Sydney"], { weekday: 1, time: "00:00", timezone: "Australia/Sydney" }],
    [["7", "23:59", "Asia/Kolkata"], { weekday: 7, time: "23:59", timezone: "Asia/Kolkata" }],
    [["sun", "2:30", "Asia/Kolkata"], { weekday: 7, time: "02:30", timezone: "Asia/Kolkata" }],
    [[" Thursday ", " 10:00 ", "europe/berlin"], { weekday: 4, time: "10:00", timezone: "Europe/Berlin" }],
    [["thu", "10:00", "UTC"], { weekday: 4, time: "10:00", timezone: "UTC" }],
  ] as const)("accepts %j", (input, expected) => {
    expect(parseWeeklyRule(input[0], input[1], input[2])).toEqual(expected);
  });

  it.each([
    [
      ["funday", "09:00", "Europe/Berlin"],
      ["funday", "mon", "1–7"],
    ],
    [
      ["0", "09:00", "Europe/Berlin"],
      ['"0"', "1 = Monday"],
    ],
    [
      ["8", "09:00", "Europe/Berlin"],
      ['"8"', "1 = Monday"],
    ],
    [
      ["mon", "25:00", "Europe/Berlin"],
      ["25:00", "HH:MM", "09:00"],
    ],
    [
      ["mon", "9:60", "Europe/Berlin"],
      ["9:60", "HH:MM"],
    ],
    [
      ["mon", "9", "Europe/Berlin"],
      ['"9"', "HH:MM"],
    ],
    [
      ["mon", "9am", "Europe/Berlin"],
      ["9am", "HH:MM"],
    ],
    [
      ["mon", "09:00", "Mars/Olympus"],
      ["Mars/Olympus", "IANA", "Europe/Berlin"],
    ],
    [
      ["mon", "09:00", "+05:30"],
      ["+05:30", "IANA"],
    ],
    [["mon", "09:00", ""], ["IANA"]],
  ] as const)("rejects %j with a message saying what to type", (input, fragments) => {
    const result = parseWeeklyRule(input[0], input[1], input[2]);
    expect(typeof result).toBe("string");
    for (const fragment of fragments) expect(result).toContain(fragment);
  });
});

describe("digest windows and the next occurrence really sent", () => {
  const monday9 = { weekday: 1, time: "09:00", timezone: "Europe/Berlin" };
  const at = (iso: string) => new Date(iso);

  it("starts a digest's window at the previous digest, so consecutive windows neither overlap nor leave gaps", () => {
    const first = at("2027-03-01T08:00:00Z");
    const second = at("2027-03-08T08:00:00Z");
    expect(digestWindowStart(monday9, second, { scheduledFor: first })).toEqual(first);
    expect(digestWindowStart(monday9, first, undefined)).toEqual(at("2027-02-22T08:00:00Z"));
  });

  it("covers the whole gap after a schedule moved, but only the last week after a long pause", () => {
    const movedFrom = at("2027-02-26T15:00:00Z"); // a Friday digest, then moved to Mondays
    expect(digestWindowStart(monday9, at("2027-03-08T08:00:00Z"), { scheduledFor: movedFrom })).toEqual(
      movedFrom,
    );
    const longAgo = at("2026-11-02T09:00:00Z");
    expect(digestWindowStart(monday9, at("2027-03-08T08:00:00Z"), { scheduledFor: longAgo })).toEqual(
      at("2027-03-01T08:00:00Z"),
    );
  });

  it("skips an occurrence in a period already claimed and one before the schedule took effect", () => {
    const now = at("2027-03-01T07:00:00Z"); // Monday 08:00 Berlin
    expect(nextToSend(monday9, now).localDate).toBe("2027-03-01");
    expect(nextToSend(monday9, now, { claimedPeriod: "2027-W09" }).localDate).toBe("2027-03-08");
    expect(nextToSend(monday9, now, { activeFrom: at("2027-03-01T09:00:00Z") }).localDate).toBe("2027-03-08");
  });
});
