import { isHelpRequest } from '../lookup/parse.js';
import type { RequestFacts, Surface } from '../slack/context.js';
import { ACTIONS } from '../slack/ids.js';
import { decodeValue, modalContext, ticketModal } from '../slack/values.js';
import { stepPerson } from '../slack/workflow-step.js';

/**
 * What an incoming Slack request is: who sent it, from where, on which surface, and whether it may read Komerza.
 * Pure (works on the parsed body Bolt hands to global middleware); the body shapes are in docs/slack-platform.md
 * §1–2 and §9, and each is pinned by test/access/request.test.ts. Of the Events API bodies only a Workflow Builder
 * step's `function_executed` is a request a person makes (a lookup); other events (app_home_opened) are not
 * described (→ undefined).
 */
export type RequestKind =
  | 'command'
  | 'block_actions'
  | 'shortcut'
  | 'message_action'
  | 'view_submission'
  | 'view_closed'
  | 'block_suggestion'
  | 'workflow_step'
  | 'other_interaction';

export interface IncomingRequest {
  kind: RequestKind;
  userId: string | undefined;
  teamId: string | undefined;
  /** The conversation; for a click inside the app's modal, the one it was opened from (its private_metadata). */
  channelId: string | undefined;
  /** Happened inside a modal (view events, or a block action in a modal; not the Home tab): no channel is sent. */
  inModal: boolean;
  /** May read Komerza: everything except asking for help, closing a modal and opening the dashboard link. */
  countsAsLookup: boolean;
  responseUrl: string | undefined;
  triggerId: string | undefined;
  /** Where an answer goes (see slack/context.ts); for a click in the app's modal, what the modal recorded. */
  surface: Surface;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;
const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const idOf = (value: unknown): string | undefined => (isObject(value) ? str(value.id) : str(value));

const INTERACTION_KINDS = new Set<RequestKind>([
  'block_actions',
  'shortcut',
  'message_action',
  'view_submission',
  'view_closed',
  'block_suggestion',
]);

export function describeRequest(body: unknown): IncomingRequest | undefined {
  if (!isObject(body)) return undefined;
  if (body.event !== undefined) return describeEvent(body);
  if (typeof body.command === 'string') {
    return {
      kind: 'command',
      userId: str(body.user_id),
      teamId: str(body.team_id),
      channelId: str(body.channel_id),
      inModal: false,
      countsAsLookup: !isHelpRequest(typeof body.text === 'string' ? body.text : ''),
      responseUrl: str(body.response_url),
      triggerId: str(body.trigger_id),
      surface: { kind: 'command' },
    };
  }
  if (typeof body.type !== 'string') return undefined;
  // url_verification and ssl_check never reach middleware (the receiver answers them), but stay out of the way.
  if (body.type === 'url_verification') return undefined;
  const kind = INTERACTION_KINDS.has(body.type as RequestKind) ? (body.type as RequestKind) : 'other_interaction';
  const user = isObject(body.user) ? body.user : undefined;
  const responseUrls = Array.isArray(body.response_urls) ? body.response_urls : [];
  const surface = surfaceOf(kind, body);
  return {
    kind,
    userId: idOf(body.user) ?? str(body.user_id),
    teamId: idOf(body.team) ?? str(user?.team_id),
    // Slack sends no channel for clicks in a modal: the app's modals record the channel they were opened from.
    channelId:
      idOf(body.channel) ?? str(body.channel_id) ?? (surface.kind === 'modal' ? modalChannel(surface) : undefined),
    // A Home tab's view is not a modal: nothing to push a refusal onto (views.open instead).
    inModal: isObject(body.view) && body.view.type !== 'home',
    countsAsLookup: kind !== 'view_closed' && !onlyOpensALink(kind, body),
    responseUrl: str(body.response_url) ?? (isObject(responseUrls[0]) ? str(responseUrls[0].response_url) : undefined),
    triggerId: str(body.trigger_id),
    surface,
  };
}

/**
 * A Workflow Builder step (`function_executed`, docs/slack-platform.md §9.1): a lookup by the person who ran the
 * workflow, as Slack names them in the step's `user_context` input. It has no channel, no response_url and no
 * trigger_id: the step's own `fail` is the only way to say no.
 */
function describeEvent(body: Json): IncomingRequest | undefined {
  const event = isObject(body.event) ? body.event : undefined;
  if (event?.type !== 'function_executed') return undefined;
  return {
    kind: 'workflow_step',
    userId: stepPerson(event.inputs),
    teamId: str(body.team_id) ?? str(body.enterprise_id),
    channelId: undefined,
    inModal: false,
    countsAsLookup: true,
    responseUrl: undefined,
    triggerId: undefined,
    surface: { kind: 'workflow_step' },
  };
}

/** "Open in Komerza" is a link button: Slack opens the URL itself and the app reads nothing for it. */
function onlyOpensALink(kind: RequestKind, body: Json): boolean {
  if (kind !== 'block_actions' || !Array.isArray(body.actions) || body.actions.length === 0) return false;
  return body.actions.every((action) => isObject(action) && action.action_id === ACTIONS.open);
}

function surfaceOf(kind: RequestKind, body: Json): Surface {
  const view = isObject(body.view) ? body.view : undefined;
  if (view && view.type === 'modal' && str(view.id)) {
    const metadata = str(view.private_metadata);
    return {
      kind: 'modal',
      viewId: str(view.id) as string,
      hash: str(view.hash),
      metadata,
      opener: decodeValue(modalContext, metadata),
    };
  }
  if (view && view.type === 'home') return { kind: 'home', viewId: str(view.id) };
  if (kind === 'message_action') return { kind: 'shortcut' };
  if (kind === 'block_actions' && str(body.response_url)) return { kind: 'message' };
  return { kind: 'other' };
}

/** The channel an app's modal was opened for: the shortcut's (its opener), or the card's under a ticket thread. */
function modalChannel(surface: Extract<Surface, { kind: 'modal' }>): string | undefined {
  return surface.opener?.channel ?? decodeValue(ticketModal, surface.metadata)?.channel;
}

/** What listeners read from `context.request`: who, where (a modal's recorded channel included), which surface. */
export function requestFacts(request: IncomingRequest): RequestFacts {
  return { userId: request.userId, teamId: request.teamId, channelId: request.channelId, surface: request.surface };
}
