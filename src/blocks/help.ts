import type { SlackMessage } from './message.js';
import { escapeAndClamp, mrkdwn } from './text.js';

/** The answer to `/customer`, `/customer help` or anything that needs a reminder of usage. */
export function helpMessage(commandName = '/customer'): SlackMessage {
  // The name comes from the request (Slack sets it from the manifest); escape it anyway, like any outside string.
  const command = escapeAndClamp(commandName, 40);
  const text = [
    '*Look up a Komerza customer* (only you see the answer)',
    `• \`${command} jane@example.com\`: by email address`,
    `• \`${command} 3f2b…-uuid\`: by customer id or order id`,
    `• \`${command} jane\`: search by part of the email`,
    'In a thread? Use the *Look up customer* shortcut in the message menu (⋮) instead.',
  ].join('\n');
  return {
    // `<` and `>` are control characters in the fallback text too: a bare `<email | …>` would be read as a link.
    text: `Usage: ${command} &lt;email | customer id | order id | search text&gt;`,
    blocks: [{ type: 'section', text: mrkdwn(text) }],
  };
}
