import type { Config } from './config.js';

/**
 * What a configuration needs from Slack and from Komerza, as data: the start-up check and `npm run doctor`
 * (src/checks/) compare these lists with what the tokens and the key actually hold. A feature that needs a new scope
 * adds a row here (with `when` if a setting turns it on), and both checks pick it up.
 */

export interface SlackScopeNeed {
  /** A bot token scope, as Slack names it. */
  scope: string;
  /** What breaks without it, in words an operator recognises. */
  why: string;
  /** Only needed when this returns true (a setting turns the feature on); always needed when absent. */
  when?: (config: Config) => boolean;
}

/**
 * The bot token's scopes (manifest.yml's `oauth_config.scopes.bot`; docs/slack-platform.md §4). The Workflow Builder
 * step and the Home tab need none of their own: `function_executed`, `functions.complete*`, `app_home_opened` and
 * `views.publish` ask for no scope (docs/slack-platform.md §9.1, §9.2).
 */
export const SLACK_BOT_SCOPES: readonly SlackScopeNeed[] = [
  { scope: 'commands', why: 'the /customer command and the "Look up customer" message shortcut' },
  {
    scope: 'chat:write',
    why: 'Share into a thread (chat.postMessage) and answers to old cards (chat.postEphemeral)',
  },
  {
    scope: 'usergroups:read',
    why: 'reading the members of ALLOWED_USERGROUP_IDS and ALLOWED_WRITE_USERGROUP_IDS (usergroups.users.list); without it nobody in those groups is let in',
    when: (config) =>
      (config.access.usergroupIds?.length ?? 0) > 0 || (config.tickets.writeUsergroupIds?.length ?? 0) > 0,
  },
];

/** The bot scopes this configuration needs, in the order above. */
export function slackScopesNeeded(config: Config): SlackScopeNeed[] {
  return SLACK_BOT_SCOPES.filter((need) => need.when?.(config) ?? true);
}

export interface KomerzaFeature {
  scope: string;
  /** What a person in Slack gets from the scope, in words an operator recognises. */
  feature: string;
  /** Without it no lookup works at all. */
  essential?: boolean;
  /** Only needed when this returns true; always needed when absent. */
  when?: (config: Config) => boolean;
}

/** The scopes the app reads with (the least-privilege key of docs/komerza-api.md §1.1) and what each one unlocks. */
export const KOMERZA_FEATURES: readonly KomerzaFeature[] = [
  { scope: 'stores.customers.view', feature: 'customer lookups (by email, customer id and search)', essential: true },
  { scope: 'stores.orders.view', feature: 'lookups by order id or recent orders on cards' },
  { scope: 'stores.subscriptions.view', feature: 'subscriptions and their state on cards' },
  {
    scope: 'stores.products.view',
    feature: 'product names where Komerza sends only a product id (e.g. subscriptions embedded in a customer)',
  },
  { scope: 'stores.tickets.view', feature: 'open support tickets on cards' },
  { scope: 'stores.view', feature: 'the store name and currency on cards' },
  {
    scope: 'stores.tickets.update',
    feature: 'replies to tickets from cards (TICKET_ACTIONS)',
    when: (config) => config.tickets.actions !== 'off',
  },
  {
    scope: 'stores.tickets.delete',
    feature: 'closing tickets from cards (TICKET_ACTIONS=reply_and_close)',
    when: (config) => config.tickets.actions === 'reply_and_close',
  },
];

/** The Komerza features this configuration uses, in the order above. */
export function komerzaFeaturesNeeded(config: Config): KomerzaFeature[] {
  return KOMERZA_FEATURES.filter((feature) => feature.when?.(config) ?? true);
}

/** The feature a scope unlocks (for messages about a missing scope). */
export function featureOfScope(scope: string | undefined): KomerzaFeature | undefined {
  return KOMERZA_FEATURES.find((feature) => feature.scope === scope);
}
