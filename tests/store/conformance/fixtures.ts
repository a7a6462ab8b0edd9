import { randomUUID } from "node:crypto";
import { afterEach } from "vitest";
import type { Plan } from "../../../src/domain/plan.ts";
import type { ActorInput, CheckInInput, Store } from "../../../src/store/store.ts";

/** Makes a fresh, migrated, empty store: what a backend hands the conformance suite. */
export type StoreFactory = () => Promise<Store>;

/** A small plan that exercises every shape: metrics of each comparator, a KR without metrics, teams, owners. */
export const PLAN: Plan = {
  id: "conformance-plan",
  title: "Conformance plan",
  period: { start: "2024-01-01", end: "2024-12-31" },
  goals: [
    { key: "g1", title: "Goal one", description: "" },
    { key: "g2", title: "Goal two", description: "the second goal" },
  ],
  objectives: [
    {
      code: "I",
      goal: "g1",
      title: "Objective one",
      key_results: [
        {
          code: "KR1",
          title: "Trainers trained",
          text: "Train the trainers",
          programs: ["Training"],
          teams: ["Alpha"],
          owners: ["U1"],
          metrics: [
            {
              key: "trainers",
              label: "Trainers",
              unit: "",
              baseline: 0,
              target: 100,
              comparator: "at_least",
            },
            { key: "cost", label: "Cost", unit: "€", baseline: 100, target: 50, comparator: "at_most" },
          ],
        },
        {
          code: "KR2",
          title: "Reported progress",
          text: "",
          programs: [],
          teams: ["Alpha", "Beta"],
          owners: [],
          metrics: [],
        },
      ],
    },
    {
      code: "II",
      goal: "g2",
      title: "Objective two",
      key_results: [
        {
          code: "KR1",
          title: "Reach",
          text: "",
          programs: [],
          teams: ["Beta"],
          owners: ["U2", "U1"],
          metrics: [
            {
              key: "reach",
              label: "People reached",
              unit: "",
              baseline: 0,
              target: 10,
              comparator: "exactly",
            },
          ],
        },
      ],
    },
  ],
};

/** The usual author; U1 also owns I.KR1 and II.KR1 in the plan. */
export const ANN: ActorInput = { platformUserId: "U1", displayName: "Ann", timezone: "Europe/Berlin" };
/** A second person. */
export const BOB: ActorInput = { platformUserId: "U3", displayName: "Bob" };
/** A moment inside the plan period. */
export const AT = new Date("2024-03-01T10:00:00Z");

/** `AT` plus some minutes. */
export const later = (minutes: number, from: Date = AT) => new Date(from.getTime() + minutes * 60_000);

/** A fresh store per test from `factory`, closed after the test. */
export function freshStores(factory: StoreFactory): () => Promise<Store> {
  const open: Store[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });
  return async () => {
    const store = await factory();
    open.push(store);
    return store;
  };
}

/** A workspace with PLAN imported, and lookups of its KR and metric ids by code. */
export async function seeded(store: Store, externalId = "TA") {
  const ws = await store.workspaces.ensure({ platform: "slack", id: externalId });
  await store.plans.import(ws.id, PLAN, { actor: "tester" });
  const krs = await store.keyResults.list(ws.id);
  const kr = (code: string) => {
    const found = krs.find((k) => k.code === code);
    if (!found) throw new Error(`no ${code}`);
    return found;
  };
  const metric = (code: string, key: string) => {
    const found = kr(code).metrics.find((m) => m.key === key);
    if (!found) throw new Error(`no ${code} ${key}`);
    return found.id;
  };
  return { id: ws.id, ws, kr, metric };
}

/** A check-in of `krId` by Ann at AT with a fresh request id, overridable. */
export function checkIn(krId: number, over: Partial<CheckInInput> = {}): CheckInInput {
  return { krId, author: ANN, values: [], note: "", requestId: randomUUID(), at: AT, ...over };
}
