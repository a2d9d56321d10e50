import type { AnyKomerzaError, UnavailableReason } from '../komerza/errors.js';
import type { NotFoundNote } from '../lookup/resolve.js';
import type { LookupError } from '../lookup/result.js';
import type { SlackMessage } from './message.js';
import { notice } from './notice.js';
import { escapeAndClamp } from './text.js';

/**
 * Every failure a person can meet, as a message that says what happened and what to do. Never a stack trace,
 * never Komerza's raw body: only our own words and escaped fragments of what the person typed.
 */
export function notFoundMessage(queryText: string, note?: NotFoundNote): SlackMessage {
  const query = escapeAndClamp(queryText, 200);
  let advice =
    'Try the full email address, a customer id, an order id, or part of the email (`/customer jane`). Customers appear in Komerza after their first order or sign-up.';
  if (note?.skipped === 'orders') {
    advice += `\n:lock: Order ids were not checked: the app's Komerza API key lacks the \`${escapeAndClamp(note.scope ?? 'stores.orders.view', 60)}\` scope.`;
  }
  return notice(':mag:', `No customer found for “${query}”`, advice);
}

export function komerzaErrorMessage(error: AnyKomerzaError): SlackMessage {
  switch (error.kind) {
    case 'not_found':
      return notice(':mag:', 'Komerza could not find that', 'It may have been deleted. Check the id and try again.');
    case 'unauthorized':
      return notice(
        ':key:',
        'Komerza rejected the app’s API key',
        'The key may have been revoked or expired. Ask whoever runs this app to create a new key in the Komerza dashboard and update `KOMERZA_API_KEY`.',
      );
    case 'forbidden': {
      const scope = error.scope;
      return notice(
        ':lock:',
        scope
          ? `The app’s Komerza API key lacks the \`${escapeAndClamp(scope, 60)}\` scope`
          : 'The app’s Komerza API key is not allowed to read this',
        'Ask whoever runs this app to add that permission to the key in the Komerza dashboard, then try again. (Komerza answers the same way for an id that belongs to another store.)',
      );
    }
    case 'feature_unavailable':
      return featureUnavailableMessage(error.code);
    case 'rate_limited': {
      const seconds = error.retryAfterSeconds;
      return notice(
        ':hourglass:',
        'Komerza is busy: too many lookups at once',
        seconds !== undefined
          ? `Try again in ${Math.max(1, Math.ceil(seconds))} second${seconds <= 1 ? '' : 's'}.`
          : 'Try again in a few seconds.',
      );
    }
    case 'unavailable':
      return unavailableMessage(error.reason, error.status);
    case 'rejected': {
      const code = error.code ? ` (\`${escapeAndClamp(error.code, 40)}\`)` : '';
      return notice(
        ':no_entry_sign:',
        `Komerza refused this lookup${code}`,
        'Check what you typed (an email, a customer or order id, or part of an email) and try again.',
      );
    }
    case 'invalid_response':
      return notice(
        ':jigsaw:',
        'Komerza answered in a form this app does not understand',
        'Komerza’s API may have changed. Try again later, and tell whoever maintains this app if it keeps happening.',
      );
  }
}

/**
 * A 403 that adding a scope would not fix (docs/komerza-api.md §3.3): the store's plan or account is the problem, so
 * the advice goes to whoever manages the Komerza store, not to whoever made the key.
 */
function featureUnavailableMessage(code: string): SlackMessage {
  const named = `(\`${escapeAndClamp(code, 40)}\`)`;
  const advice =
    'This is not about the API key’s scopes. Ask whoever manages the Komerza store to check its plan and account in the Komerza dashboard.';
  switch (code) {
    case 'UpgradeRequired':
      return notice(':construction:', `The Komerza store’s plan does not include this ${named}`, advice);
    case 'VerificationRequired':
      return notice(':construction:', `Komerza wants the store’s account verified first ${named}`, advice);
    case 'FeatureUnavailable':
      return notice(':construction:', `This Komerza feature is not available to the store ${named}`, advice);
    default:
      return notice(
        ':construction:',
        `Komerza refused access for a reason other than the key’s scopes ${named}`,
        advice,
      );
  }
}

function unavailableMessage(reason: UnavailableReason, status: number | undefined): SlackMessage {
  const retry = 'Try again in a minute. If it keeps failing, check Komerza’s status.';
  switch (reason) {
    case 'timeout':
      return notice(':turtle:', 'Komerza did not answer in time', retry);
    case 'network':
      return notice(':electric_plug:', 'The app could not reach Komerza', retry);
    case 'edge_blocked':
      return notice(
        ':shield:',
        'Komerza’s network refused the request',
        'It answered with a web page instead of data (for example a regional block). Ask whoever runs this app to check where it is hosted.',
      );
    case 'non_json':
      return notice(':warning:', 'Komerza sent a web page instead of data', retry);
    case 'server_error':
      return notice(':warning:', `Komerza is having trouble${status ? ` (HTTP ${status})` : ''}`, retry);
  }
}

/** A failure of the app itself: the person gets an apology and a next step; the details go to the log only. */
export function internalErrorMessage(): SlackMessage {
  return notice(
    ':warning:',
    'Something went wrong in the lookup app',
    'The error has been logged. Try again; if it keeps happening, tell whoever runs this app.',
  );
}

/** The shortcut found nothing to look up: say what it looked for and how to use `/customer` instead. */
export function noCandidatesMessage(): SlackMessage {
  return notice(
    ':mag:',
    'No email address or id found in this message',
    [
      'The shortcut looks for email addresses and customer or order ids (UUIDs) in the message’s text, blocks and attachments.',
      'To look someone up by part of an email, use `/customer jane` in a channel (slash commands do not work in threads).',
    ].join('\n'),
  );
}

/** Any failure of a lookup: Komerza's own errors, or the app's (`internal`). */
export function lookupErrorMessage(error: LookupError): SlackMessage {
  return error.kind === 'internal' ? internalErrorMessage() : komerzaErrorMessage(error);
}

/** The last word to a lookup cut short by a restart (shutdown past its deadline). */
export function restartingMessage(): SlackMessage {
  return notice(
    ':arrows_counterclockwise:',
    'The lookup app is restarting',
    'Your lookup could not finish before it stopped. Run it again in a moment.',
  );
}

/** `/customer @` or `/customer a`: a search that would list much of the customer base. */
export function searchTooBroadMessage(minChars: number): SlackMessage {
  return notice(
    ':mag:',
    'Type more of the address to search',
    `A search needs at least ${minChars} letters or digits, for example \`/customer jane\` or \`/customer @example.com\`.`,
  );
}
