import { type Logger, LogLevel, webApi } from '@slack/bolt';

const { WebClient } = webApi;

/**
 * Web API retries. Bolt's default (10 retries over about 30 minutes) suits a batch job, not this app: a modal's
 * trigger_id dies after 3 s, a person waits for every answer, and each listener has its own fallback (the
 * response_url, an ephemeral message) that should run promptly. At start-up it would also hold an unreachable
 * SLACK_API_URL for half an hour before saying so.
 */
export const SLACK_RETRIES = { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2000, randomize: true };
/** One Web API request's timeout (WebClient has none by default). */
export const SLACK_TIMEOUT_MS = 10_000;

/**
 * The options of every WebClient the app makes (Bolt's own and the Socket Mode client's), so each call goes to
 * SLACK_API_URL with the same bounded retries. `retries` overrides the count (tests use 0).
 *
 * A 429 is rejected at once (`slack_webapi_rate_limited_error`) instead of pausing the client's shared queue for
 * the whole Retry-After: that pause held every Web API call of every person (no modal opened while their 3 s
 * triggers ran out). Each caller has a fallback (response_url, ephemeral message) that runs instead.
 */
export function webClientOptions(apiUrl: string, retries?: number): webApi.WebClientOptions {
  return {
    slackApiUrl: apiUrl,
    retryConfig: retries !== undefined ? { retries } : SLACK_RETRIES,
    timeout: SLACK_TIMEOUT_MS,
    rejectRateLimitedCalls: true,
  };
}

/**
 * A trigger_id lives 3 s and works once (docs/slack-platform.md §2): a call that spends it (views.open, views.push)
 * is never retried, since a retry of one that reached Slack fails as trigger_exchanged or opens a second view, and
 * it is given up before the trigger dies, so the caller's fallback still has time to run.
 */
export const TRIGGER_DEADLINE_MS = 2500;

/** The client for calls that spend a trigger_id: no retries, and a timeout inside the trigger's life. */
export function triggerClient(token: string, apiUrl: string, logger: Logger): webApi.WebClient {
  return new WebClient(token, {
    ...webClientOptions(apiUrl, 0),
    timeout: TRIGGER_DEADLINE_MS,
    logger,
    logLevel: LogLevel.INFO,
  });
}
