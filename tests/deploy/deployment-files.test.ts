import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = join(import.meta.dirname, "..", "..");
const read = (file: string) => readFileSync(join(ROOT, file), "utf8");

/** Variable names .env.example documents, set or commented out (`# NAME=…`). */
function documentedVariables(): Set<string> {
  const names = new Set<string>();
  for (const line of read(".env.example").split("\n")) {
    const m = /^#?\s*([A-Z][A-Z0-9_]+)=/.exec(line);
    if (m?.[1]) names.add(m[1]);
  }
  return names;
}

interface ComposeService {
  environment?: Record<string, string>;
  command?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(read("compose.yaml"), { merge: true }) as { services: Record<string, ComposeService> };

describe("compose.yaml", () => {
  it("runs PostgreSQL 15, a one-shot migrate and two krbot replicas on their own ports", () => {
    const { services } = compose;
    expect(Object.keys(services).sort()).toEqual(["krbot-1", "krbot-2", "migrate", "postgres"]);
    expect((services.postgres as { image?: string }).image).toBe("postgres:15");
    expect(services.migrate?.command).toEqual(["node", "bin/krbot.js", "migrate"]);
    const ports = ["krbot-1", "krbot-2"].map((s) => services[s]?.ports?.[0]?.split(":")[0]);
    expect(new Set(ports).size).toBe(2);
    for (const replica of ["krbot-1", "krbot-2"]) {
      expect(services[replica]?.depends_on?.migrate?.condition).toBe("service_completed_successfully");
      expect(services[replica]?.environment?.DATABASE_URL).toMatch(/^postgres:\/\//);
    }
  });

  it("sets only variables that .env.example documents (besides the postgres image's own)", () => {
    const documented = documentedVariables();
    const used = Object.entries(compose.services)
      .filter(([name]) => name !== "postgres")
      .flatMap(([, s]) => Object.keys(s.environment ?? {}));
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((v) => !documented.has(v))).toEqual([]);
  });
});

describe("Dockerfile", () => {
  const dockerfile = read("Dockerfile");
  const pkg = JSON.parse(read("package.json")) as { scripts: Record<string, string> };

  it("starts the way `npm start` does", () => {
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(cmd).toBeDefined();
    expect((JSON.parse(cmd ?? "[]") as string[]).join(" ")).toBe(pkg.scripts.start);
  });

  it("runs as a non-root user, checks /livez, and installs without dev dependencies", () => {
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/livez/);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
  });

  it("copies only paths that exist in the repository", () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) =>
      (m[1] ?? "").split(" "),
    );
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.filter((s) => !existsSync(join(ROOT, s)))).toEqual([]);
  });

  it("starts only from dependencies, not devDependencies (the --omit=dev install is enough)", () => {
    const { dependencies } = JSON.parse(read("package.json")) as Record<string, Record<string, string>>;
    const imported = new Set<string>();
    const files = readdirSync(join(ROOT, "src"), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts"))
      .map((f) => join("src", f));
    for (const file of [...files, "bin/krbot.js"]) {
      for (const m of read(file).matchAll(/(?:from |import\()"([^".][^"]*)"/g)) {
        const spec = m[1] ?? "";
        if (spec.startsWith("node:")) continue;
        imported.add(
          spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : (spec.split("/")[0] ?? spec),
        );
      }
    }
    expect(imported.size).toBeGreaterThan(5);
    expect([...imported].filter((p) => !(p in (dependencies ?? {})))).toEqual([]);
  });
});
