/** The SQLite schema, split by area; drizzle-kit reads this file (drizzle.config.ts). */
export * from "./schema-plans.ts";
export * from "./schema-scheduling.ts";
