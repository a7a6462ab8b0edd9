import { openSqliteStore } from "../../src/store/sqlite/index.ts";
import { storeConformance } from "./conformance/index.ts";

// The embedded store runs the same behavioural suite any backend must pass.
storeConformance("sqlite", async () => openSqliteStore(":memory:"));
