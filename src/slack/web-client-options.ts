import type { webApi } from '@slack/bolt';

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
