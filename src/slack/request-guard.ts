import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { HTTPReceiver, Logger } from '@slack/bolt';

/**
 * Bolt's HTTPReceiver reads `body.ssl_check` before any try/catch, so a correctly signed body whose JSON is `null`
 * throws outside every handler: the request never gets an answer and the rejection ends the process (five lookups
 * in flight lost their answers in the probe). This guard reads the body first, answers 400 to anything that is not
 * a Slack payload (a form, its `payload` a JSON object; or a JSON object), and hands the rest to Bolt with the body
 * already read (Bolt reuses `req.rawBody` instead of reading the stream again).
 */

/** Bolt's own default body limit: a Slack payload is far smaller. */
const BODY_LIMIT = 4 * 1024 * 1024;

type BufferedRequest = IncomingMessage & { rawBody?: Buffer };

export function guardRequestBodies(receiver: HTTPReceiver, path: string, logger: Logger): void {
  const boltListener: RequestListener = receiver.requestListener;
  receiver.requestListener = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://localhost').pathname !== path) {
      boltListener(req, res);
      return;
    }
    void read(req as BufferedRequest).then(
      (raw) => {
        if (isSlackPayload(req.headers['content-type'], raw.toString('utf8'))) {
          boltListener(req, res);
          return;
        }
        logger.warn('Refused a request whose body is not a Slack payload (400)');
        answer(res, 400);
      },
      (error: unknown) => answer(res, error instanceof BodyTooLarge ? 413 : 400),
    );
  };
}

class BodyTooLarge extends Error {}

async function read(req: BufferedRequest): Promise<Buffer> {
  if (req.rawBody) return req.rawBody;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  req.rawBody = Buffer.concat(chunks);
  return req.rawBody;
}

/** Forms without `payload` (slash commands, ssl_check) and other content types are Bolt's to judge. */
export function isSlackPayload(contentType: string | undefined, body: string): boolean {
  if (contentType === 'application/json') return isJsonObject(body);
  if (contentType !== 'application/x-www-form-urlencoded') return true;
  const payload = new URLSearchParams(body).get('payload');
  return payload === null || isJsonObject(payload);
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

function answer(res: ServerResponse, status: number): void {
  if (res.headersSent) return;
  res.writeHead(status).end();
}
