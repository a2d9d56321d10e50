/**
 * The benchmark's baseline: a bare Bolt app in HTTP mode that acks `/customer` and posts one static message to the
 * response_url. Whatever the real app costs beyond this is the cost of the lookup itself. Prints `PORT <n>` once
 * it listens. Env: SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, SLACK_API_URL.
 */
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

const receiver = new HTTPReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
  endpoints: '/slack/events',
  logLevel: LogLevel.ERROR,
});
const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  receiver,
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
});
app.command('/customer', async ({ ack, respond }) => {
  await ack();
  await respond({ response_type: 'ephemeral', text: 'A static answer.' });
});

const server: unknown = await app.start(0);
const address = (server as { address?: () => unknown }).address?.();
const port = address && typeof address === 'object' && 'port' in address ? Number(address.port) : 0;
process.stdout.write(`PORT ${port}\n`);
process.on('SIGTERM', () => process.exit(0));
