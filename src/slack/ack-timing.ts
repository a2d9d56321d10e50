import type { App, ReceiverEvent } from '@slack/bolt';

/**
 * Times every Slack request from the moment the receiver hands it to the app (HTTP: after the signature check;
 * Socket Mode: the envelope read) to its ack() call. Bolt gives each middleware a copy of the listener arguments,
 * so no middleware can wrap `ack` for the listeners; the event's own `ack` can, where both receivers hand it over
 * (`app.processEvent`: docs/slack-platform.md §5.8).
 */
export function timeAcks(app: App, observe: (body: unknown, seconds: number) => void): void {
  const processEvent = app.processEvent.bind(app);
  app.processEvent = (event: ReceiverEvent) => {
    const received = performance.now();
    let acked = false;
    const ack: ReceiverEvent['ack'] = (response) => {
      if (!acked) {
        acked = true;
        observe(event.body, (performance.now() - received) / 1000);
      }
      return event.ack(response);
    };
    return processEvent({ ...event, ack });
  };
}
