/**
 * Reading Slack failures without depending on their classes: Bolt's `RespondError` carries `statusCode` (a
 * response_url that answered non-2xx: 404 once it is past 30 minutes or 5 uses), and @slack/web-api's
 * `WebAPIPlatformError` carries `data.error` (`not_in_channel`, `channel_not_found`, `hash_conflict`, …).
 */
export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

export function respondStatus(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Fields safe to log about a Slack failure (never the request, which may hold a card). */
export function slackFailure(error: unknown): Record<string, unknown> {
  return {
    code: (error as { code?: unknown } | null)?.code,
    ...(slackErrorCode(error) ? { error: slackErrorCode(error) } : {}),
    ...(respondStatus(error) ? { statusCode: respondStatus(error) } : {}),
  };
}
