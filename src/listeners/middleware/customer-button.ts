import type { Deps } from '../../deps.js';
import type { ButtonArgs } from '../../slack/context.js';
import { customerButton, decodeValue } from '../../slack/values.js';

/**
 * Listener middleware for buttons that carry a customer (Share, Refresh, a picker row's Open): decodes the value
 * into `context.customerId`. A value this app did not write is acknowledged (Slack needs that), logged, and
 * goes no further.
 */
export function customerFromButton(deps: Pick<Deps, 'logger'>) {
  return async (args: ButtonArgs): Promise<void> => {
    const value = decodeValue(customerButton, args.action.value);
    if (!value) {
      await args.ack();
      deps.logger.warn('A button was clicked with a value this app did not write', { action: args.action.action_id });
      return;
    }
    args.context.customerId = value.customerId;
    if (value.orderId) args.context.orderId = value.orderId;
    await args.next();
  };
}
