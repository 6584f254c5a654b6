import { type IncomingMessage } from 'node:http';
import { type WebhookFields } from './webhook-parser.interface';

/** A request as Express (or plain Node) hands it to middleware, with what body parsers may have added. */
export type WebhookRequest = IncomingMessage & {
  originalUrl?: string;
  body?: unknown;
  rawBody?: unknown;
};

/** A callback body larger than `webhooks.maxBodyBytes` (answered 413). */
export class WebhookBodyError extends Error {
  constructor(
    readonly status: 413,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookBodyError';
  }
}

/** The request's path without the query string, as the client sent it (before any mount stripped it). */
export function requestPath(req: WebhookRequest): string {
  return (req.originalUrl ?? req.url ?? '/').split('?', 1)[0];
}

/**
 * Reads the fields of a callback: the query string, then the form body over it. The body is taken,
 * most faithful first, from `req.rawBody` (Nest `rawBody: true`), from the request stream when no
 * body parser read it (`bodyParser: false`, or no urlencoded parser), or from the `req.body` that a
 * parser built, flattened back to `data[0]`-style keys (qs' `extended` objects and arrays included).
 */
export async function readWebhookFields(req: WebhookRequest, maxBytes: number): Promise<WebhookFields> {
  const fields = new Map<string, string>();
  const query = (req.originalUrl ?? req.url ?? '').split('?', 2)[1];
  if (query) addForm(fields, query);
  if (Buffer.isBuffer(req.rawBody)) {
    if (req.rawBody.length > maxBytes) throw new WebhookBodyError(413, 'the body is too large');
    addForm(fields, req.rawBody.toString('utf8'));
  } else if (req.readable && !req.readableEnded && hasBody(req)) {
    addForm(fields, await readStream(req, maxBytes));
  } else if (typeof req.body === 'string') {
    addForm(fields, req.body);
  } else if (req.body && typeof req.body === 'object' && !Buffer.isBuffer(req.body)) {
    flatten(req.body, '', fields);
  }
  return fields;
}

function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

function addForm(fields: Map<string, string>, text: string): void {
  for (const [key, value] of new URLSearchParams(text)) fields.set(key, value);
}

async function readStream(req: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new WebhookBodyError(413, 'the body is too large');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new WebhookBodyError(413, 'the body is too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function flatten(value: unknown, key: string, fields: Map<string, string>): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => flatten(item, `${key}[${i}]`, fields));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(v, key === '' ? k : `${key}[${k}]`, fields);
  } else if (value !== undefined && value !== null && key !== '') {
    fields.set(key, String(value));
  }
}
