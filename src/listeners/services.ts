import type { KomerzaApi } from '../komerza/client.js';
import type { RateLimiter } from '../komerza/rate-limit.js';
import type { AppLogger } from '../logger.js';

/** What listeners need from the outside world; built once in createApp, replaced by fakes in tests. */
export interface Services {
  komerza: KomerzaApi;
  logger: AppLogger;
  now: () => Date;
  /** The card's "Open in Komerza" link for a customer (from KOMERZA_DASHBOARD_URL); no link when absent. */
  dashboardUrl?: (customerId: string) => string;
  /** What cards may show (SHOW_IP_ADDRESS). */
  privacy: { showIpAddress: boolean };
  /** The Komerza request queue, when there is one: lookups that would wait long say "queued" first. */
  rateLimit?: Pick<RateLimiter, 'status'>;
  /** How long a queue wait must be before that notice is posted, in ms. */
  queueNoticeMs?: number;
}
