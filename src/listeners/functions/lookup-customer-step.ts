import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { discloseTo } from '../../access/disclosure.js';
import type { Deps } from '../../deps.js';
import { lookupQuery } from '../../lookup/answer.js';
import { extractCandidates } from '../../lookup/extract.js';
import type { LookupResult } from '../../lookup/result.js';
import { audit } from '../../slack/audit.js';
import { type AppContext, requestOf } from '../../slack/context.js';
import { slackErrorCode, slackFailure } from '../../slack/errors.js';
import {
  type StepOutputs,
  severalCandidatesError,
  stepCustomerText,
  stepOutcome,
  stepRestartingError,
} from '../../slack/workflow-step.js';

export type StepArgs = AllMiddlewareArgs<AppContext> & SlackEventMiddlewareArgs<'function_executed'>;

/**
 * The Workflow Builder step "Look up Komerza customer" (docs/slack-platform.md §9.1). Bolt has acked the event
 * before this runs (app.function's auto-ack) and access control has let the workflow's person through. The input is
 * read like a message (an email, a customer id or an order id, also inside a sentence or a mailto: link); the step
 * never searches, since it must answer for exactly one customer. The lookup is `/customer`'s own, charged to the
 * person like any card; the step ends with its outputs (found or not) or fails with one sentence saying why.
 */
export function lookupCustomerStep(deps: Deps) {
  return async (args: StepArgs): Promise<void> => {
    const started = performance.now();
    const request = requestOf(args.context);
    const finish = stepFinisher(deps, args);
    await deps.farewells.during(
      async () => {
        await finish.fail(stepRestartingError());
      },
      async () => {
        const candidates = extractCandidates([stepCustomerText(args.inputs)], 2);
        const [candidate] = candidates;
        if (candidates.length > 1) {
          await finish.fail(severalCandidatesError());
          // Nothing was looked up: an audit line all the same (ids only), outside the lookup counts.
          deps.logger.event('lookup', {
            source: 'workflow_step',
            user: request.userId,
            team: request.teamId,
            queryKind: 'several',
            outcome: 'not_looked_up',
          });
          return;
        }
        // Nothing that names a customer: "not found" that disclosed nothing (and so costs nothing).
        const found: LookupResult = candidate
          ? await lookupQuery({ api: deps.komerza.cached, logger: deps.logger }, candidate)
          : { kind: 'not_found', query: undefined };
        const result = await discloseTo(deps, request.userId, found);
        const outcome = stepOutcome(result, { now: deps.now(), dashboardUrl: deps.dashboardUrl });
        const ended =
          outcome.kind === 'complete' ? await finish.complete(outcome.outputs) : await finish.fail(outcome.error);
        audit(deps, { source: 'workflow_step', request, queryKind: candidate?.kind ?? 'none', started }, result, {
          step: outcome.kind,
          ...(ended ? {} : { delivered: false }),
        });
      },
    );
  };
}

/**
 * Ends the step through Bolt's `complete` / `fail` (functions.completeSuccess / completeError with the event's own
 * token). Each resolves with whether Slack took it; never throws. When Slack refuses the outputs themselves
 * (`parameter_validation_failed`: they no longer match the manifest), the step is failed instead of left running.
 */
function stepFinisher(deps: Deps, args: StepArgs) {
  const fail = async (error: string): Promise<boolean> => {
    try {
      await args.fail({ error });
      return true;
    } catch (failure) {
      deps.logger.warn('Could not end the workflow step (functions.completeError)', slackFailure(failure));
      return false;
    }
  };
  const complete = async (outputs: StepOutputs): Promise<boolean> => {
    try {
      await args.complete({ outputs: { ...outputs } });
      return true;
    } catch (failure) {
      deps.logger.warn('Slack refused the workflow step outputs (functions.completeSuccess)', slackFailure(failure));
      if (slackErrorCode(failure) === 'parameter_validation_failed') {
        await fail(
          'Komerza customer lookup failed: Slack refused the step outputs. The app and its manifest differ: ask whoever runs the app to reinstall it from its manifest.',
        );
      }
      return false;
    }
  };
  return { complete, fail };
}
