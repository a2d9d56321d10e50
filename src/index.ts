/**
 * Entry point: load the configuration, build the app, start it. The only module with process-level side effects
 * (reading .env, exit codes, signal handlers).
 */
import { createApp } from './app.js';
import { ConfigError, parseConfig, readEnvironment } from './config.js';
import { createLogger } from './logger.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof parseConfig>;
  try {
    config = parseConfig(readEnvironment(process.env, process.env.DOTENV_CONFIG_PATH ?? '.env'));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n\nSee .env.example for every setting and what it means.\n`);
      process.exit(1);
    }
    throw error;
  }

  const logger = createLogger({
    level: config.logLevel,
    format:
      process.env.LOG_FORMAT === 'pretty' || (process.stdout.isTTY && process.env.LOG_FORMAT !== 'json')
        ? 'pretty'
        : 'json',
    name: 'customer-lookup',
  });
  const created = createApp(config, { logger });

  try {
    await created.start();
  } catch (error) {
    logger.error(startupProblem(error));
    process.exit(1);
  }
  logger.info(
    created.mode === 'socket'
      ? `Connected to Slack in Socket Mode; health check on port ${created.port()}`
      : `Listening for Slack on port ${created.port()} (POST /slack/events, GET /healthz)`,
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received: shutting down`);
    try {
      await created.stop();
      process.exit(0);
    } catch (error) {
      logger.error('Shutdown failed', error);
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** A start-up failure in words an operator can act on (the usual one: Slack rejected the bot token). */
function startupProblem(error: unknown): string {
  const data = (error as { data?: { error?: string } }).data;
  const code = data?.error ?? (error as { code?: string }).code;
  if (code === 'invalid_auth' || code === 'not_authed' || code === 'account_inactive' || code === 'token_revoked') {
    return `Slack rejected SLACK_BOT_TOKEN (${code}). Copy the Bot User OAuth Token from the app's "OAuth & Permissions" page.`;
  }
  if (code === 'EADDRINUSE') return 'PORT is already in use by another process. Choose another PORT.';
  const message = error instanceof Error ? error.message : String(error);
  return `The app could not start: ${message}`;
}

main().catch((error) => {
  process.stderr.write(`The app could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
