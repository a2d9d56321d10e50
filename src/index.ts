/**
 * Entry point: load the configuration, start the service, map the outcome to exit codes and signals. The only
 * module with process-level side effects (reading .env, exit codes, signal handlers); the life cycle itself is
 * in service.ts, where tests drive it.
 */
import { ConfigError, parseConfig, readEnvironment } from './config.js';
import { createLogger } from './logger.js';
import { type RunningService, StartupError, startService } from './service.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof parseConfig>;
  try {
    config = parseConfig(readEnvironment(process.env, process.env.DOTENV_CONFIG_PATH ?? '.env'), {
      stdoutIsTTY: process.stdout.isTTY === true,
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n\nSee .env.example for every setting and what it means.\n`);
      process.exit(1);
    }
    throw error;
  }

  const logger = createLogger({ level: config.logLevel, format: config.logFormat, name: 'customer-lookup' });
  let running: RunningService | undefined;
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1 || !running) {
      // A second Ctrl-C means "now"; and before start-up has finished no lookup can be under way.
      logger.warn(`${signal} received ${running ? 'again: exiting without waiting' : 'during start-up: exiting'}`);
      process.exit(running ? 1 : 0);
    }
    // SIGTERM comes from an orchestrator, whose load balancer needs the drain delay; SIGINT is someone at a terminal.
    void running.shutdown(`${signal} received`, { drain: signal === 'SIGTERM' }).then((code) => process.exit(code));
  };
  // Installed before start-up so that a stop request at any moment gets an orderly answer.
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  try {
    running = await startService(config, { logger });
  } catch (error) {
    // Exit 1 once with the reason, rather than a stack trace; an orchestrator's restart would fail the same way.
    if (error instanceof StartupError) logger.error(error.message);
    else logger.error('The app could not start', error);
    process.exit(1);
  }
}

main().catch((error) => {
  process.stderr.write(`The app could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
