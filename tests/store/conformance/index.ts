import { describe } from "vitest";
import { checkInSuite } from "./check-ins.ts";
import { deliverySuite } from "./delivery.ts";
import type { StoreFactory } from "./fixtures.ts";
import { keyResultSuite } from "./key-results.ts";
import { leaseSuite } from "./leases.ts";
import { peopleSuite } from "./people.ts";
import { planSuite } from "./plans.ts";
import { schedulingSuite } from "./scheduling.ts";
import { scopingSuite } from "./scoping.ts";

export type { StoreFactory } from "./fixtures.ts";

/**
 * The store conformance suite: behaviour every backend must show, written against the repository
 * interfaces only. `factory` returns a fresh, migrated, empty store each time it is called.
 */
export function storeConformance(backend: string, factory: StoreFactory): void {
  describe(`store conformance: ${backend}`, () => {
    planSuite(factory);
    keyResultSuite(factory);
    checkInSuite(factory);
    peopleSuite(factory);
    schedulingSuite(factory);
    deliverySuite(factory);
    leaseSuite(factory);
    scopingSuite(factory);
  });
}
