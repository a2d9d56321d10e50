import type { App } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import type { AppContext } from '../../slack/context.js';
import { LOOKUP_STEP } from '../../slack/ids.js';
import { lookupCustomerStep } from './lookup-customer-step.js';

/** Workflow Builder steps (manifest.yml `functions`). Bolt acks each function_executed before its listener runs. */
export function registerFunctions(app: App<AppContext>, deps: Deps): void {
  app.function(LOOKUP_STEP, lookupCustomerStep(deps));
}
