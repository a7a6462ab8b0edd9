import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const manifest = parse(readFileSync(new URL("../../../slack/manifest.yml", import.meta.url), "utf8"));

describe("the Slack app manifest", () => {
  it("asks for exactly the seven least-privilege bot scopes", () => {
    expect(manifest.oauth_config.scopes.bot).toEqual([
      "commands",
      "chat:write",
      "im:write",
      "users:read",
      "files:write",
      "channels:read",
      "groups:read",
    ]);
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });

  it("points /kr, interactivity and events at /slack/events", () => {
    const [command] = manifest.features.slash_commands;
    expect(command.command).toBe("/kr");
    expect(command.should_escape).toBe(true);
    expect(command.url).toMatch(/\/slack\/events$/);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.interactivity.request_url).toMatch(/\/slack\/events$/);
    expect(manifest.settings.event_subscriptions.request_url).toMatch(/\/slack\/events$/);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(["app_home_opened"]);
  });

  it("enables the Home tab the adapter publishes", () => {
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  });
});
