import type { SlackMessage } from './message.js';
import { mrkdwn } from './text.js';

/** The answer to `/customer`, `/customer help` or anything that needs a reminder of usage. */
export function helpMessage(command = '/customer'): SlackMessage {
  const text = [
    '*Look up a Komerza customer* (only you see the answer)',
    `• \`${command} jane@example.com\`: by email address`,
    `• \`${command} 3f2b…-uuid\`: by customer id or order id`,
    `• \`${command} jane\`: search by part of the email`,
    'In a thread? Use the *Look up customer* shortcut in the message menu (⋮) instead.',
  ].join('\n');
  return {
    text: `Usage: ${command} <email | customer id | order id | search text>`,
    blocks: [{ type: 'section', text: mrkdwn(text) }],
  };
}
