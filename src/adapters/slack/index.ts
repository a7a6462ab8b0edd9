import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, HTTPReceiver, SocketModeReceiver, type webApi } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { ChatAdapter, PostAccess, PostResult, PostTarget } from "../../core/adapter.ts";
import type { CoreDoor as Core } from "../../core/inbound.ts";
import type { Logger } from "../../core/logger.ts";
import type { Reply } from "../../core/reply.ts";
import { boltLogger } from "./bolt-logger.ts";
import { postReply } from "./deliver.ts";
import { registerHandlers } from "./handlers.ts";
import { type ExtraRoutes, slackHttpServer } from "./http-server.ts";
import { slackPostAccess } from "./post-access.ts";
import { ACK_BUDGET_MS } from "./respond.ts";
import { UserInfoCache } from "./timezones.ts";

export { ACK_BUDGET_MS } from "./respond.ts";

/** How long stop() lets HTTP requests in flight finish before cutting them. */
const STOP_GRACE_MS = 5000;

/** How long stop() waits for the Socket Mode connection to close. */
const SOCKET_CLOSE_WAIT_MS = 3000;

/** Production retry policy: 429s wait for Retry-After, 5xx back off, for up to ~5 minutes. */
const DEFAULT_RETRY: webApi.RetryOptions = { retries: 8, factor: 2, minTimeout: 1000, maxTimeout: 60_000 };

/** How the Slack adapter is configured; tokens come from the environment, never from logs. */
export interface SlackAdapterOptions {
  botToken: string;
  /** HTTP mode: verify requests with this secret. */
  signingSecret?: string;
  /** Socket Mode: connect with this app-level token instead of listening for HTTP. */
  appToken?: string;
  /** Web API base URL (tests point it at a local fake). */
  apiUrl?: string;
  port: number;
  host?: string;
  log: Logger;
  retryConfig?: webApi.RetryOptions;
  ackBudgetMs?: number;
  /** HTTP mode: routes tried before Bolt on the same port (`/healthz`, `/metrics`). */
  extraRoutes?: ExtraRoutes;
}

/**
 * Slack over Bolt: slash commands, Block Kit replies, the check-in modal and the Home tab. The
 * listeners are in handlers.ts, the deadline in respond.ts, sending in deliver.ts.
 */
export class SlackAdapter implements ChatAdapter {
  readonly platform = "slack" as const;
  private app?: App;
  private server?: Server;
  private socketReceiver?: SocketModeReceiver;
  private readonly users = new UserInfoCache();

  constructor(private readonly options: SlackAdapterOptions) {}

  /** The port the HTTP server listens on (after start), e.g. when started on port 0. */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  private get client(): WebClient {
    if (!this.app) throw new Error("Slack adapter is not started");
    // Bolt bundles its own @slack/web-api: the same class under another package identity.
    return this.app.client as unknown as WebClient;
  }

  async start(core: Core): Promise<void> {
    const o = this.options;
    this.app = this.createApp();
    const { commands } = core.connect(this);
    registerHandlers(this.app, {
      core,
      commands,
      log: o.log,
      ackBudgetMs: o.ackBudgetMs ?? ACK_BUDGET_MS,
      users: this.users,
      post: (workspaceId, target, reply) => this.post(workspaceId, target, reply),
      client: () => this.client,
    });
    if (this.server) {
      const server = this.server;
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(o.port, o.host ?? "0.0.0.0", () => resolve());
      });
      o.log.info({ port: this.port }, "Slack: listening for POST /slack/events");
    } else {
      await this.app.start();
      o.log.info({}, "Slack: connected in Socket Mode");
    }
  }

  /** Builds the Bolt app: Socket Mode with an app token, else HTTP behind our own server. */
  private createApp(): App {
    const o = this.options;
    const logger = boltLogger(o.log);
    const clientOptions = {
      ...(o.apiUrl ? { slackApiUrl: o.apiUrl } : {}),
      retryConfig: o.retryConfig ?? DEFAULT_RETRY,
      logger,
    };
    const common = { token: o.botToken, tokenVerificationEnabled: false, logger, clientOptions };
    if (o.appToken) {
      // Our own receiver, so stop() can wait for the socket to close. A custom receiver ignores
      // App.clientOptions, hence the API URL goes in installerOptions too.
      this.socketReceiver = new SocketModeReceiver({
        appToken: o.appToken,
        logger,
        installerOptions: { clientOptions },
      });
      return new App({ receiver: this.socketReceiver, ...common });
    }
    if (!o.signingSecret) throw new Error("SLACK_SIGNING_SECRET is required for HTTP mode");
    const receiver = new HTTPReceiver({
      signingSecret: o.signingSecret,
      endpoints: "/slack/events",
      logger,
    });
    this.server = slackHttpServer(receiver.requestListener, o.log, o.signingSecret, o.extraRoutes);
    return new App({ receiver, ...common });
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server) {
      // Stop accepting, let requests in flight finish (their commands are acked and recorded),
      // and only cut connections that are still open after the grace period.
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
    } else if (this.app && this.socketReceiver) {
      // Bolt's stop() starts the disconnect without waiting for it; wait (briefly) for the close.
      const client = this.socketReceiver.client;
      const closed = new Promise<void>((resolve) => {
        client.once("disconnected", () => resolve());
        setTimeout(resolve, SOCKET_CLOSE_WAIT_MS).unref();
      });
      await this.app.stop();
      await closed;
    }
  }

  async post(workspaceId: string, target: PostTarget, reply: Reply): Promise<PostResult> {
    return postReply(this.client, this.options.log, workspaceId, target, reply);
  }

  /** Asks Slack (conversations.info, which posts nothing) whether krbot can post in a channel. */
  async checkPostAccess(_workspaceId: string, channelId: string): Promise<PostAccess> {
    return slackPostAccess(this.client, channelId, this.options.log);
  }
}
