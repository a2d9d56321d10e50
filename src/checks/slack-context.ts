import { type Logger, LogLevel, webApi } from '@slack/bolt';
import type { Config } from '../config.js';
import { webClientOptions } from '../slack/web-client-options.js';

const { WebClient } = webApi;

export type SlackOutcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** What every Slack check gets: the configuration and Slack's answers, each asked for once. */
export interface SlackCheckContext {
  config: Config;
  /** `auth.test` with the bot token, through SLACK_API_URL; its answer carries the token's scopes (slack-scopes.ts). */
  authTest(): Promise<SlackOutcome<webApi.AuthTestResponse>>;
  /** `apps.connections.open` with the app-level token (Socket Mode only; the URL it returns is never opened). */
  openConnection(): Promise<SlackOutcome<webApi.AppsConnectionsOpenResponse>>;
}

export interface SlackContextOptions {
  /** Web API retries (undefined: the app's bounded policy; tests use 0). */
  retries?: number;
  /** Where the Web API client logs (its own retries and failures); the checks report the outcome themselves. */
  logger: Logger;
}

/** Clients built exactly like the app's (src/slack/web-client-options.ts): SLACK_API_URL, bounded retries, timeout. */
export function slackCheckContext(config: Config, options: SlackContextOptions): SlackCheckContext {
  const clientOptions = {
    ...webClientOptions(config.slack.apiUrl, options.retries),
    logger: options.logger,
    logLevel: LogLevel.ERROR,
  };
  const once = <T>(call: () => Promise<T>) => {
    let pending: Promise<SlackOutcome<T>> | undefined;
    return () => {
      pending ??= call().then(
        (value): SlackOutcome<T> => ({ ok: true, value }),
        (error: unknown): SlackOutcome<T> => ({ ok: false, error }),
      );
      return pending;
    };
  };
  const appToken = config.slack.appToken;
  return {
    config,
    authTest: once(() => new WebClient(config.slack.botToken, clientOptions).auth.test()),
    openConnection: once(() =>
      appToken
        ? new WebClient(appToken, clientOptions).apps.connections.open()
        : Promise.reject(new Error('SLACK_APP_TOKEN is not set')),
    ),
  };
}

/** Slack's error code of a failed Web API call (`invalid_auth`…), or the client's own code for transport failures. */
export function slackErrorCode(error: unknown): string | undefined {
  return (error as { data?: { error?: string } }).data?.error ?? (error as { code?: string }).code;
}
