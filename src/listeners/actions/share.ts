import type { KnownBlock } from '@slack/types';
import { discloseTo } from '../../access/disclosure.js';
import { answerMessage } from '../../blocks/answer.js';
import { restartingMessage } from '../../blocks/errors.js';
import type { SlackMessage } from '../../blocks/message.js';
import { messageModal } from '../../blocks/modal.js';
import { type Deps, lookupWith } from '../../deps.js';
import { lookupCustomerId } from '../../lookup/answer.js';
import { privateView, sharedView } from '../../slack/answer-view.js';
import { audit } from '../../slack/audit.js';
import { type ButtonArgs, requestOf } from '../../slack/context.js';
import { answerPrivately, replyTo, updateModal, withNotice } from '../../slack/deliver.js';
import { shareFromMessage, shareFromModal } from '../../slack/share.js';

/**
 * Share: post the redacted card for everyone, saying who shared it and when (see slack/share.ts for where it
 * goes). When Komerza fails, the person sees why and nothing is posted for the channel.
 */
export function shareCard(deps: Deps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const started = performance.now();
    const request = requestOf(args.context);
    const reply = replyTo(args, deps.triggerClient);
    const surface = request.surface;
    const currentBlocks = (args.body.view?.blocks ?? []) as KnownBlock[];
    /** A notice for the person only: on top of the modal, or a new private message next to the card. */
    const tell = (message: SlackMessage) =>
      surface.kind === 'modal'
        ? updateModal(reply, deps.logger, surface, messageModal(withNotice(currentBlocks, message), surface.metadata))
        : answerPrivately(reply, deps.logger, request, message, { replace: false });
    await deps.farewells.during(
      () => tell(restartingMessage()),
      async () => {
        const found = await lookupCustomerId(lookupWith(deps), args.context.customerId ?? '', args.context.orderId);
        const result = await discloseTo(deps, request.userId, found);
        let outcome: string;
        if (result.kind !== 'card') {
          outcome = 'not_shared';
          await tell(answerMessage(result, privateView(deps, undefined, surface)));
        } else {
          const card = answerMessage(result, sharedView(deps, request.userId));
          outcome =
            surface.kind === 'modal'
              ? await shareFromModal(reply, deps.logger, surface, currentBlocks, card)
              : await shareFromMessage(reply, deps.logger, request, card);
        }
        audit(deps, { source: 'share', request, queryKind: 'id', started }, result, { result: outcome });
      },
    );
  };
}
