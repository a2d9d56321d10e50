import type { ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { Readiness } from './lifecycle/readiness.js';
import type { Metrics } from './metrics.js';

/**
 * The operational routes served on PORT in both modes (HTTP: Bolt's HTTPReceiver; Socket Mode: the receiver's own
 * small server, src/slack/socket-mode.ts): liveness, readiness and, when enabled, metrics.
 */

/** Where Slack sends commands, interactions and events in HTTP mode (Bolt's default path, docs/slack-platform.md §1). */
export const EVENTS_PATH = '/slack/events';
export const HEALTH_PATH = '/healthz';
export const READY_PATH = '/readyz';
export const METRICS_PATH = '/metrics';

export function operationalRoutes(readiness: Readiness, metrics: Metrics): CustomRoute[] {
  const routes: CustomRoute[] = [
    {
      // Liveness: the process serves HTTP. Never depends on Slack or Komerza, so an outage does not get it restarted.
      path: HEALTH_PATH,
      method: ['GET', 'HEAD'],
      handler: (_req, res) => json(res, 200, { ok: true }),
    },
    {
      path: READY_PATH,
      method: ['GET', 'HEAD'],
      handler: (_req, res) => {
        const report = readiness.report();
        json(res, report.ready ? 200 : 503, report);
      },
    },
  ];
  if (metrics.enabled) {
    routes.push({
      path: METRICS_PATH,
      method: ['GET'],
      handler: (_req, res) => {
        metrics.scrape().then(
          ({ contentType, body }) => {
            res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
            res.end(body);
          },
          () => res.writeHead(500, { 'cache-control': 'no-store' }).end(),
        );
      },
    });
  }
  return routes;
}

/** HEAD gets the same status and headers without the body (Node drops it for HEAD). */
function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
