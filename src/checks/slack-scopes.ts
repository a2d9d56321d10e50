import { slackScopesNeeded } from '../requirements.js';
import type { SlackCheckContext } from './slack-context.js';
import type { Verdict } from './verdict.js';

/**
 * Does the bot token hold every scope this configuration needs (src/requirements.ts)? Slack sends a token's scopes
 * in the `x-oauth-scopes` header of every Web API answer, and @slack/web-api puts them in
 * `response_metadata.scopes` (docs/slack-platform.md §10.1): the auth.test already made says it, no extra call.
 */
export async function checkSlackScopes(context: SlackCheckContext): Promise<Verdict | undefined> {
  const base = { id: 'slack.bot_scopes', title: 'Slack bot scopes', required: true } as const;
  const auth = await context.authTest();
  // The token check has said why auth.test failed; without its answer there is nothing to compare.
  if (!auth.ok) return undefined;
  const needed = slackScopesNeeded(context.config);
  const granted = auth.value.response_metadata?.scopes?.filter((scope) => scope !== '');
  if (!granted) {
    return {
      ...base,
      status: 'unknown',
      required: false,
      meaning: `Slack did not say which scopes the bot token has (no x-oauth-scopes header); this configuration needs ${needed.map((n) => n.scope).join(', ')}.`,
      advice: 'Compare with the app\'s "OAuth & Permissions" page.',
    };
  }
  const have = new Set(granted);
  const missing = needed.filter((need) => !have.has(need.scope));
  const unused = granted.filter((scope) => !needed.some((need) => need.scope === scope)).sort();
  if (missing.length > 0) {
    return {
      ...base,
      status: 'fail',
      meaning: `The bot token lacks ${missing.map((need) => `${need.scope}, for ${need.why}`).join('; ')}.`,
      advice:
        'Add the scope under "OAuth & Permissions" → Bot Token Scopes (or in manifest.yml), then reinstall the app to the workspace.',
    };
  }
  return {
    ...base,
    status: 'ok',
    meaning:
      `The bot token has ${needed.map((need) => need.scope).join(', ')}: all this configuration needs.` +
      (unused.length > 0 ? ` It also has ${unused.join(', ')}, which the app does not use.` : ''),
    ...(unused.length > 0
      ? { advice: 'Remove unused scopes from the app and reinstall it, if nothing else needs them.' }
      : {}),
  };
}
