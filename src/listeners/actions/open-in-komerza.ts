import type { Deps } from '../../deps.js';
import type { ButtonArgs } from '../../slack/context.js';

/** "Open in Komerza" is a link: Slack opens it, but still sends the click, which must be acknowledged. */
export function openInKomerza(deps: Deps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    deps.logger.debug('Open in Komerza clicked');
  };
}
