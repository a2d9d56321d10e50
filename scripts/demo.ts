/**
 * `npm run demo [-- <query>]`: the app doing its job with no Slack workspace and no Komerza account.
 *
 * One process runs the sample Komerza store and the Slack stand-in from test/support (the same fakes the tests
 * use), and the real app in HTTP mode through the production start-up path (service.ts: key self-check, Slack
 * auth.test, listen) with a freshly generated signing secret. It then sends signed `/customer` requests exactly
 * as Slack would, waits for each answer at its response_url, and prints it as terminal text plus a Block Kit
 * Builder link for the exact Slack rendering.
 */
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parseConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startService } from '../src/service.js';
import { FAKE_API_KEY, startFakeKomerza } from '../test/support/fake-komerza.js';
import { FAKE_BOT_TOKEN, startFakeSlack } from '../test/support/fake-slack.js';
import { IDS, STORE_ID, sampleStore } from '../test/support/sample-store.js';
import { signSlackRequest } from '../test/support/sign.js';
import { slashCommandBody } from '../test/support/slash-command.js';
import { blockKitBuilderUrl, renderTerminal } from './render-terminal.js';

export interface DemoQuery {
  query: string;
  /** What the sample shows, printed above its answer. */
  about?: string;
}

/** One query per kind of answer the sample store can give. */
export const SAMPLE_QUERIES: readonly DemoQuery[] = [
  { query: 'jane@example.com', about: 'a big spender with open tickets' },
  { query: 'bob@example.org', about: 'subscriptions: one expiring soon, one expired' },
  {
    query: 'dana@example.net',
    about:
      "Komerza's documented customer shape: embedded subscriptions named from the product list, dates without offset",
  },
  { query: 'riley@example.com', about: 'recent orders, and a subscription whose renewal payment keeps failing' },
  { query: IDS.rileyRefundedOrder, about: 'an order id: the order marked, with its refund and chargeback' },
  { query: 'quiet@example.net', about: 'a new customer with no activity yet' },
  { query: 'alex', about: 'a search that matches two customers' },
  { query: IDS.janeOrder, about: "an order id: finds the order's customer" },
  { query: 'nobody@example.com', about: 'a customer the store does not have' },
];

export interface DemoOptions {
  queries?: readonly DemoQuery[];
  /** Where the demo's text goes (stdout by default; tests collect it). */
  write?: (text: string) => void;
  color?: boolean;
  /** Also print every line the app logged. */
  verbose?: boolean;
}

/** Runs the demo; resolves with the exit code (0 when every query got its answer). */
export async function runDemo(options: DemoOptions = {}): Promise<number> {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const color = options.color ?? false;
  const say = (line = '') => write(`${line}\n`);
  const dim = (text: string) => (color ? `\u001b[2m${text}\u001b[22m` : text);
  const bold = (text: string) => (color ? `\u001b[1m${text}\u001b[22m` : text);

  const komerza = await startFakeKomerza({ data: sampleStore(new Date()) });
  const slack = await startFakeSlack();
  const logs: string[] = [];
  const signingSecret = randomBytes(32).toString('hex');
  const config = parseConfig({
    SLACK_BOT_TOKEN: FAKE_BOT_TOKEN,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: slack.apiUrl,
    KOMERZA_API_KEY: FAKE_API_KEY,
    KOMERZA_STORE_ID: STORE_ID,
    KOMERZA_API_URL: komerza.url,
    PORT: '0',
    LOG_LEVEL: options.verbose ? 'debug' : 'info',
    LOG_FORMAT: 'pretty',
  });
  const logger = createLogger({
    level: config.logLevel,
    format: 'pretty',
    name: 'demo-app',
    write: (l) => logs.push(l),
  });

  let failures = 0;
  try {
    const running = await startService(config, { logger, slackRetries: 0 });
    const url = `http://127.0.0.1:${running.created.port()}/slack/events`;
    say(bold('Customer Lookup demo: the real app, a sample Komerza store and a stand-in for Slack, all local.'));
    say(dim(`App log at start-up:\n${logs.map((line) => `  ${line}`).join('\n')}`));

    for (const { query, about } of options.queries ?? SAMPLE_QUERIES) {
      say();
      say(bold(`━━━ /customer ${query}${about ? `   (${about})` : ''}`));
      const response = slack.responseUrl();
      const body = slashCommandBody({ text: query, responseUrl: response.url, triggerId: `demo-${response.id}` });
      const ack = await fetch(url, { method: 'POST', headers: signSlackRequest(signingSecret, body), body });
      const ackText = await ack.text();
      if (ack.status !== 200) {
        failures += 1;
        say(`Slack would show an error: the app answered HTTP ${ack.status}.`);
        continue;
      }
      // An ack with a body is the answer itself (help); otherwise the answer arrives at the response_url.
      let message: Record<string, unknown>;
      try {
        message = ackText
          ? (JSON.parse(ackText) as Record<string, unknown>)
          : await slack.waitForPost(response.id, 15_000);
      } catch (error) {
        failures += 1;
        say(`No answer arrived: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      say(renderTerminal(message, { color }));
      say(dim(`Preview exactly as Slack shows it: ${blockKitBuilderUrl(message)}`));
    }

    const code = await running.shutdown('Demo finished');
    if (code !== 0) failures += 1;
    const problems = logs.filter((line) => / (WARN|ERROR) /.test(line));
    if (options.verbose) say(dim(`\nApp log:\n${logs.map((line) => `  ${line}`).join('\n')}`));
    else if (problems.length > 0) say(dim(`\nApp warnings:\n${problems.map((line) => `  ${line}`).join('\n')}`));
  } catch (error) {
    failures += 1;
    say(`The demo could not run: ${error instanceof Error ? error.message : String(error)}`);
    say(logs.join('\n'));
  } finally {
    await Promise.all([komerza.close(), slack.close()]);
  }
  return failures === 0 ? 0 : 1;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const args = process.argv.slice(2).filter((arg) => arg !== '--verbose');
  const query = args.join(' ').trim();
  const code = await runDemo({
    queries: query ? [{ query }] : SAMPLE_QUERIES,
    color: process.stdout.isTTY === true && !process.env.NO_COLOR,
    verbose: process.argv.includes('--verbose'),
  });
  process.exitCode = code;
}
