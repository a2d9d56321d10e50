import type { KnownBlock } from '@slack/types';
import { answerMessage } from '../../blocks/answer.js';
import { messageModal } from '../../blocks/modal.js';
import { type Deps, lookupWith } from '../../deps.js';
import { lookupCustomerId } from '../../lookup/answer.js';
import { privateView, sharedView } from '../../slack/answer-view.js';
import { audit } from '../../slack/audit.js';
import { type ButtonArgs, requestOf } from '../../slack/context.js';
import { privateNotice, replyTo, updateModal, withNotice } from '../../slack/deliver.js';
import { shareFromMessage, shareFromModal } from '../../slack/share.js';

/**
 * Share: post the redacted card for everyone, saying who shared it and when (see slack/share.ts for where it
 * goes). When Komerza fails, the person sees why and nothing is posted for the channel.
 */
export function shareCard(deps: Deps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const request = requestOf(args.context);
    const reply = replyTo(args);
    const surface = request.surface;
    const currentBlocks = (args.body.view?.blocks ?? []) as KnownBlock[];
    const started = performance.now();
    const result = await lookupCustomerId(lookupWith(deps), args.context.customerId ?? '', args.context.orderId);
    let outcome: string;
    if (result.kind !== 'card') {
      outcome = 'not_shared';
      const message = answerMessage(result, privateView(deps));
      if (surface.kind === 'modal') {
        await updateModal(
          reply,
          deps.logger,
          surface,
          messageModal(withNotice(currentBlocks, message), surface.metadata),
        );
      } else await privateNotice(reply, deps.logger, request, message);
    } else {
      const card = answerMessage(result, sharedView(deps, request.userId));
      outcome =
        surface.kind === 'modal'
          ? await shareFromModal(reply, deps.logger, surface, currentBlocks, card)
          : await shareFromMessage(reply, deps.logger, request, card);
    }
    audit(deps.logger, { source: 'share', request, queryKind: 'id', started }, result, { result: outcome });
  };
}
