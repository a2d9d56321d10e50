import type { KomerzaApi } from '../komerza/client.js';
import type { AppLogger } from '../logger.js';

/** What listeners need from the outside world; built once in createApp, replaced by fakes in tests. */
export interface Services {
  komerza: KomerzaApi;
  logger: AppLogger;
  now: () => Date;
  /** What cards may show (SHOW_IP_ADDRESS). */
  privacy: { showIpAddress: boolean };
}
