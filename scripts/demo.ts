/**
 * `npm run demo [-- [--socket] [--verbose] <query>]`: the app doing its job with no Slack workspace and no Komerza
 * account. `npm run demo -- --doctor [--socket] [--email <address>] [--json]` runs `npm run doctor` against the same
 * stand-ins instead (runDoctorDemo).
 *
 * One process runs the sample Komerza store and the Slack stand-in from test/support (the same fakes the tests
 * use), and the real app through the production start-up path (service.ts: key self-check, Slack auth.test, then
 * listen or connect). In HTTP mode (the default) the app gets a freshly generated signing secret and the demo sends
 * signed `/customer` requests exactly as Slack would; with `--socket` the app connects to a local Socket Mode server
 * (test/support/fake-socket-mode.ts) and the same requests arrive as envelopes on its WebSocket. The demo waits for
 * each answer at its response_url and prints it as terminal text plus a Block Kit Builder link for the exact Slack
 * rendering. Then it runs the Workflow Builder step for a few customers (printing the outputs the app hands to
 * functions.completeSuccess, or its functions.completeError) and opens the Home tab (printing what views.publish
 * received). In between it makes a ticket reply round trip (TICKET_ACTIONS=reply_and_close): View & reply on Jane's
 * card, the thread modal, a reply sent, the thread and the card as Komerza has them afterwards, and a ticket closed.
 */
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { runDoctor } from '../src/checks/doctor.js';
import { formatJson, formatText } from '../src/checks/report.js';
import { type Config, parseConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startService } from '../src/service.js';
import { ACTIONS, BLOCKS, INPUTS } from '../src/slack/ids.js';
import { decodeValue, ticketButton } from '../src/slack/values.js';
import { waitFor } from '../test/support/async.js';
import { appHomeOpenedBody, functionExecutedBody } from '../test/support/event-payloads.js';
import { FAKE_API_KEY, type FakeKomerza, startFakeKomerza } from '../test/support/fake-komerza.js';
import { FAKE_BOT_TOKEN, type FakeSlack, startFakeSlack } from '../test/support/fake-slack.js';
import { FAKE_APP_TOKEN, startFakeSocketMode } from '../test/support/fake-socket-mode.js';
import { type Driver, httpDriver, socketDriver } from '../test/support/harness.js';
import { viewSubmissionPayload } from '../test/support/interaction-payloads.js';
import { IDS, STORE_ID, sampleStore } from '../test/support/sample-store.js';
import { buttons } from '../test/support/slack-payloads.js';
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

/** What the Workflow Builder step is run with: found, found with subscriptions ending, and nobody. */
export const STEP_SAMPLES: readonly string[] = ['jane@example.com', 'bob@example.org', 'nobody@example.com'];

export interface DemoOptions {
  queries?: readonly DemoQuery[];
  /** The step's `customer` input for each run (default: STEP_SAMPLES when `queries` is not given, else none). */
  stepInputs?: readonly string[];
  /** Open the Home tab at the end (default: when `queries` is not given). */
  home?: boolean;
  /** Reply to and close one of Jane's tickets from her card (default: when `queries` is not given). */
  tickets?: boolean;
  /** Where the demo's text goes (stdout by default; tests collect it). */
  write?: (text: string) => void;
  color?: boolean;
  /** Also print every line the app logged. */
  verbose?: boolean;
  /** Run the app in Socket Mode, over a local Socket Mode server, instead of HTTP mode. */
  socket?: boolean;
}

/** Runs the demo; resolves with the exit code (0 when every query got its answer). */
export async function runDemo(options: DemoOptions = {}): Promise<number> {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const color = options.color ?? false;
  const say = (line = '') => write(`${line}\n`);
  const dim = (text: string) => (color ? `\u001b[2m${text}\u001b[22m` : text);
  const bold = (text: string) => (color ? `\u001b[1m${text}\u001b[22m` : text);

  const { komerza, slack, socketServer, config, signingSecret } = await startStandIns(options);
  const logs: string[] = [];
  const logger = createLogger({
    level: config.logLevel,
    format: 'pretty',
    name: 'demo-app',
    write: (l) => logs.push(l),
  });

  let failures = 0;
  try {
    const running = await startService(config, { logger, slackRetries: 0 });
    const driver: Driver = socketServer
      ? socketDriver(socketServer, slack)
      : httpDriver(`http://127.0.0.1:${running.created.port()}`, slack, signingSecret);
    say(
      bold(
        `Customer Lookup demo: the real app (${socketServer ? 'Socket Mode' : 'HTTP mode'}), a sample Komerza store ` +
          'and a stand-in for Slack, all local.',
      ),
    );
    say(dim(`App log at start-up:\n${logs.map((line) => `  ${line}`).join('\n')}`));

    for (const { query, about } of options.queries ?? SAMPLE_QUERIES) {
      say();
      say(bold(`━━━ /customer ${query}${about ? `   (${about})` : ''}`));
      let message: Record<string, unknown>;
      try {
        const ack = await driver.command(query);
        if (ack.status !== 200) {
          failures += 1;
          say(`Slack would show an error: the app answered HTTP ${ack.status}.`);
          continue;
        }
        // An ack with a body is the answer itself (help); otherwise the answer arrives at the response_url.
        message =
          typeof ack.body === 'object' && ack.body !== null
            ? (ack.body as Record<string, unknown>)
            : await slack.waitForPost(ack.responseId, 15_000);
      } catch (error) {
        failures += 1;
        say(`No answer arrived: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      say(renderTerminal(message, { color }));
      say(dim(`Preview exactly as Slack shows it: ${blockKitBuilderUrl(message)}`));
    }

    if (options.tickets ?? !options.queries) {
      try {
        await ticketRoundTrip({ driver, slack, komerza, say, bold, color });
      } catch (error) {
        failures += 1;
        say(`The ticket round trip did not finish: ${error instanceof Error ? error.message : String(error)}`);
      }
    }

    for (const input of options.stepInputs ?? (options.queries ? [] : STEP_SAMPLES)) {
      say();
      say(bold(`━━━ Workflow step "Look up Komerza customer", customer = ${input}`));
      try {
        say(await runStep(driver, slack, input));
      } catch (error) {
        failures += 1;
        say(`The step did not end: ${error instanceof Error ? error.message : String(error)}`);
      }
    }

    if (options.home ?? !options.queries) {
      say();
      say(bold('━━━ The Home tab (app_home_opened → views.publish)'));
      try {
        const view = await openHome(driver, slack);
        say(renderTerminal(view, { color }));
        say(dim(`Preview exactly as Slack shows it: ${blockKitBuilderUrl(view)}`));
      } catch (error) {
        failures += 1;
        say(`The Home tab was not published: ${error instanceof Error ? error.message : String(error)}`);
      }
    }

    // No load balancer to drain: stop at once.
    const code = await running.shutdown('Demo finished', { drain: false });
    if (code !== 0) failures += 1;
    const problems = logs.filter((line) => / (WARN|ERROR) /.test(line));
    if (options.verbose) say(dim(`\nApp log:\n${logs.map((line) => `  ${line}`).join('\n')}`));
    else if (problems.length > 0) say(dim(`\nApp warnings:\n${problems.map((line) => `  ${line}`).join('\n')}`));
  } catch (error) {
    failures += 1;
    say(`The demo could not run: ${error instanceof Error ? error.message : String(error)}`);
    say(logs.join('\n'));
  } finally {
    await Promise.all([komerza.close(), slack.close(), socketServer?.close()]);
  }
  return failures === 0 ? 0 : 1;
}

/** The sample Komerza store, the Slack stand-in (and its Socket Mode server), and a configuration pointing at them. */
async function startStandIns(options: { socket?: boolean; verbose?: boolean }) {
  const komerza = await startFakeKomerza({ data: sampleStore(new Date()) });
  const slack = await startFakeSlack();
  const socketServer = options.socket ? await startFakeSocketMode(slack) : undefined;
  const signingSecret = randomBytes(32).toString('hex');
  const config: Config = parseConfig({
    SLACK_BOT_TOKEN: FAKE_BOT_TOKEN,
    // Socket Mode needs no signing secret: requests arrive on the app's own WebSocket.
    ...(socketServer ? { SLACK_APP_TOKEN: FAKE_APP_TOKEN } : { SLACK_SIGNING_SECRET: signingSecret }),
    SLACK_API_URL: slack.apiUrl,
    KOMERZA_API_KEY: FAKE_API_KEY,
    KOMERZA_STORE_ID: STORE_ID,
    KOMERZA_API_URL: komerza.url,
    PORT: '0',
    LOG_LEVEL: options.verbose ? 'debug' : 'info',
    LOG_FORMAT: 'pretty',
    // The sample store's key holds the ticket write scopes: cards offer View & reply and Close ticket.
    TICKET_ACTIONS: 'reply_and_close',
  });
  return { komerza, slack, socketServer, config, signingSecret };
}

export interface DoctorDemoOptions {
  socket?: boolean;
  /** A customer of the sample store to check with (e.g. jane@example.com). */
  email?: string;
  json?: boolean;
  write?: (text: string) => void;
}

/**
 * `npm run demo -- --doctor`: the doctor (src/checks/doctor.ts) against the sample store and the Slack stand-in,
 * configured as the demo's app is; resolves with the doctor's exit code.
 */
export async function runDoctorDemo(options: DoctorDemoOptions = {}): Promise<number> {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const { komerza, slack, socketServer, config } = await startStandIns(options);
  try {
    const logger = createLogger({
      level: 'warn',
      format: 'pretty',
      name: 'doctor',
      write: (line) => write(`${line}\n`),
    });
    const report = await runDoctor(config, {
      ...(options.email ? { email: options.email } : {}),
      logger,
      slackRetries: 0,
    });
    write(options.json ? formatJson(report) : formatText(report));
    return report.exitCode;
  } finally {
    await Promise.all([komerza.close(), slack.close(), socketServer?.close()]);
  }
}

/** Runs the step once as Slack would; the outputs it completed with (one per line), or the error it failed with. */
async function runStep(driver: Driver, slack: FakeSlack, customer: string): Promise<string> {
  const { body, executionId } = functionExecutedBody({ customer });
  await driver.event(body);
  const end = await waitFor(
    () =>
      slack.calls.find(
        (call) => call.method.startsWith('functions.complete') && call.args.function_execution_id === executionId,
      ),
    15_000,
    'functions.completeSuccess or functions.completeError',
  );
  if (end.method === 'functions.completeError') return `functions.completeError: ${String(end.args.error)}`;
  const outputs = end.args.outputs as Record<string, unknown>;
  const width = Math.max(...Object.keys(outputs).map((name) => name.length));
  return [
    'functions.completeSuccess outputs:',
    ...Object.entries(outputs).map(([name, value]) => `  ${name.padEnd(width)}  ${JSON.stringify(value)}`),
  ].join('\n');
}

/** The reply the demo sends to Jane, with characters that must reach Komerza exactly as typed. */
export const DEMO_REPLY =
  'Hi Jane, so sorry about the box <3 A replacement ships today & there is no need to send the damaged one back.';

/**
 * View & reply on Jane's "Order arrived damaged", a reply sent from the thread modal, the thread and the card
 * afterwards, then Close ticket on her other ticket: each step printed as the person would see it in Slack, and
 * what reached Komerza.
 */
async function ticketRoundTrip(io: {
  driver: Driver;
  slack: FakeSlack;
  komerza: FakeKomerza;
  say: (line?: string) => void;
  bold: (text: string) => string;
  color: boolean;
}): Promise<void> {
  const { driver, slack, komerza, say, bold, color } = io;
  const show = (title: string, view: Record<string, unknown>) => {
    say();
    say(bold(title));
    say(renderTerminal(view, { color }));
  };
  const ack = await driver.command('jane@example.com');
  const card = await slack.waitForPost(ack.responseId, 15_000);
  const viewButton = ticketButtonOf(card, ACTIONS.ticketView, 'b0000000-0000-4000-8000-000000000001');
  const click = await driver.click(viewButton, { surface: 'message' });
  const trigger = `trigger-click-${click.responseId}`;
  const opened = await waitFor(() =>
    slack.calls.find((c) => c.method === 'views.open' && c.args.trigger_id === trigger),
  );
  const viewId = (opened.answer as { view: { id: string } }).view.id;
  const filled = await waitFor(() => slack.calls.find((c) => c.method === 'views.update' && c.args.view_id === viewId));
  const thread = { ...(filled.args.view as Record<string, unknown>), id: viewId, hash: `hash-${viewId}` };
  show('━━━ Ticket actions: View & reply on Jane\'s "Order arrived damaged" (views.open, then views.update)', thread);

  const before = slack.calls.length;
  const submitted = await driver.interaction(
    viewSubmissionPayload(thread, { [BLOCKS.ticketReply]: { [INPUTS.ticketReply]: DEMO_REPLY } }),
  );
  const sending = (submitted.body as { view?: Record<string, unknown> }).view;
  if (sending) show('━━━ Send reply: the ack turns the modal into "Sending…" (response_action: update)', sending);
  const after = await waitFor(
    () => slack.calls.slice(before).find((c) => c.method === 'views.update' && c.args.view_id === viewId),
    15_000,
    'the thread after the reply',
  );
  show('━━━ The thread as Komerza has it after the reply (views.update)', after.args.view as Record<string, unknown>);
  // The card is refreshed through the click's response_url (the one of the message the button was on).
  const refreshed = await slack.waitForPost(click.responseId, 15_000);
  show("━━━ Jane's card behind it, read again (the ticket now Responded)", refreshed);

  const closeButton = ticketButtonOf(refreshed, ACTIONS.ticketClose, 'b0000000-0000-4000-8000-000000000002');
  const closeClick = await driver.click(closeButton, { surface: 'message' });
  show(
    `━━━ Close ticket on "Invoice for March" (after Slack's dialog: "${String((closeButton.confirm as { text?: { text?: string } }).text?.text)}")`,
    await slack.waitForPost(closeClick.responseId, 15_000),
  );
  say();
  say(bold('━━━ What reached Komerza'));
  for (const write of komerza.writes) {
    say(
      `${write.method} /stores/{storeId}/tickets/${write.ticketId}${write.message === undefined ? '' : ` ${JSON.stringify({ message: write.message })}`}`,
    );
  }
}

/** A ticket button (View & reply or Close ticket) of one ticket on a card. */
function ticketButtonOf(card: Record<string, unknown>, actionId: string, ticketId: string): Record<string, unknown> {
  const found = buttons(card).find(
    (b) => b.action_id === actionId && decodeValue(ticketButton, String(b.value))?.ticketId === ticketId,
  );
  if (!found) throw new Error(`the card has no ${actionId} button for ticket ${ticketId}`);
  return found;
}

/** Opens the Home tab as a support agent; the view the app published. */
async function openHome(driver: Driver, slack: FakeSlack): Promise<Record<string, unknown>> {
  const before = slack.calls.length;
  await driver.event(appHomeOpenedBody('U0AGENT'));
  const publish = await waitFor(
    () => slack.calls.slice(before).find((call) => call.method === 'views.publish'),
    15_000,
    'views.publish',
  );
  return publish.args.view as Record<string, unknown>;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    options: {
      verbose: { type: 'boolean' },
      socket: { type: 'boolean' },
      doctor: { type: 'boolean' },
      email: { type: 'string' },
      json: { type: 'boolean' },
    },
    allowPositionals: true,
  });
  const query = positionals.join(' ').trim();
  process.exitCode = values.doctor
    ? await runDoctorDemo({
        socket: values.socket === true,
        json: values.json === true,
        ...(values.email ? { email: values.email } : {}),
      })
    : await runDemo({
        // Without a query of its own: every sample, then the workflow step and the Home tab.
        ...(query ? { queries: [{ query }] } : {}),
        color: process.stdout.isTTY === true && !process.env.NO_COLOR,
        verbose: values.verbose === true,
        socket: values.socket === true,
      });
}
