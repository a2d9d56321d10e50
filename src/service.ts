import { type AppDeps, type CreatedApp, createApp } from './app.js';
import { botTokenProblem } from './checks/slack-bot-token.js';
import { socketModeProblem } from './checks/slack-socket-mode.js';
import { runStartupChecks } from './checks/startup.js';
import { fatalVerdict, sentence } from './checks/verdict.js';
import type { Config } from './config.js';
import type { AppLogger } from './logger.js';
import { SocketModeStartError } from './slack/socket-mode.js';
import { describeOffer } from './tickets/offer.js';

/**
 * The app's life cycle, without touching `process`: start (Komerza key check, Slack token check, listen) and
 * graceful shutdown. src/index.ts wires it to exit codes and signals; tests and the demo call it directly.
 */

/** A start-up failure an operator can fix; its message says what to change. The process should exit 1. */
export class StartupError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StartupError';
  }
}

export interface RunningService {
  created: CreatedApp;
  /**
   * Reports not ready at once; with `drain` (the default), keeps serving for SHUTDOWN_DRAIN_DELAY_MS so a load
   * balancer stops sending requests here; then stops taking requests, lets in-flight lookups finish (bounded), and
   * returns the exit code (0 or 1).
   */
  shutdown(reason: string, options?: { drain?: boolean }): Promise<number>;
}

export interface ServiceDeps extends AppDeps {
  logger: AppLogger;
  /** How the drain delay is waited out (a timer by default; tests hold it open). */
  drainWait?: (ms: number) => Promise<void>;
}

export async function startService(config: Config, deps: ServiceDeps): Promise<RunningService> {
  const { logger } = deps;
  const drainWait = deps.drainWait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const created = createApp(config, deps);

  // Before the key check, whose Komerza calls would otherwise be sent on this replica's fallback share: the shared
  // bucket would then count them as a phantom full burst, and every replica's start would hold all of them back.
  await created.sharedState.connect();
  try {
    await runStartupCheck(config, created, logger);
    try {
      await created.start();
    } catch (error) {
      throw new StartupError(startupProblem(error), { cause: error });
    }
  } catch (error) {
    await created.sharedState.close();
    throw error;
  }
  logger.info(
    created.mode === 'socket'
      ? `Connected to Slack in Socket Mode; health check on port ${created.port()}`
      : `Listening for Slack on port ${created.port()} (POST /slack/events, GET /healthz, GET /readyz)`,
  );

  let stopping: Promise<number> | undefined;
  return {
    created,
    shutdown(reason, options = {}) {
      // Idempotent: a second call while draining waits for the same stop instead of stopping twice.
      stopping ??= (async () => {
        created.readiness.stopping();
        const drainMs = options.drain === false ? 0 : config.shutdownDrainDelayMs;
        if (drainMs > 0) {
          logger.info(`${reason}: reporting not ready, still serving for ${drainMs} ms (SHUTDOWN_DRAIN_DELAY_MS)`);
          await drainWait(drainMs);
        }
        logger.info(`${reason}: shutting down (no new requests; waiting for ${created.inflight.size()} lookup(s))`);
        try {
          const { abandoned } = await created.stop();
          logger.info(abandoned > 0 ? 'Stopped (timed out waiting for lookups)' : 'Stopped cleanly');
          return 0;
        } catch (error) {
          logger.error('Shutdown failed', error);
          return 1;
        }
      })();
      return stopping;
    },
  };
}

/**
 * The checks `npm run doctor` starts with (src/checks/startup.ts): a fatal one ends the start (StartupError), a failed
 * one is a warning, the rest (including "could not be verified") is information. What the key was found to allow is
 * kept for the Home tab and decides which ticket buttons cards offer.
 */
export async function runStartupCheck(config: Config, created: CreatedApp, logger: AppLogger): Promise<void> {
  const { verdicts, keyScopes } = await runStartupChecks(config, created.deps.komerza.fresh);
  const fatal = fatalVerdict(verdicts);
  if (fatal) throw new StartupError(sentence(fatal));
  created.deps.keyCheck.record(keyScopes, created.deps.now());
  created.deps.tickets.offer.learn(keyScopes);
  for (const verdict of verdicts) {
    if (verdict.status === 'fail') logger.warn(sentence(verdict));
    else logger.info(sentence(verdict));
  }
  logger.info(describeOffer(created.deps.tickets.offer, created.deps.tickets.writeAccess.restricted));
}

/** A start-up failure in words an operator can act on (the usual one: Slack rejected the bot token). */
export function startupProblem(error: unknown): string {
  if (error instanceof SocketModeStartError) return socketModeProblem(error);
  const code = (error as { code?: string }).code;
  if (code === 'EADDRINUSE') return 'PORT is already in use by another process. Choose another PORT.';
  const slack = botTokenProblem(error);
  if (slack) return sentence(slack);
  const message = error instanceof Error ? error.message : String(error);
  return `The app could not start: ${message}`;
}
