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
 * Reads the fields of a callback: the query string, then the form body over it, refusing (413) a body
 * larger than `maxBytes` whichever body parser read it:
 *
 * - first, whoever read the body, a `Content-Length` over the limit (the bytes as sent);
 * - `req.rawBody` (Nest `rawBody: true`): its length, the body as the parser read it;
 * - the request stream, when no body parser read it (`bodyParser: false`, or no urlencoded parser):
 *   read here and cut off at the limit;
 * - the `req.body` a parser built: a text parser's string or a raw parser's buffer by its length; an
 *   object (qs' `extended` objects and arrays, or flat keys) is flattened back to `data[0]`-style keys
 *   and measured as the form those fields make. That last measure is the one that is not the body's
 *   own byte count: it counts for a body that came without `Content-Length` (chunked) and without a
 *   raw copy.
 */
export async function readWebhookFields(req: WebhookRequest, maxBytes: number): Promise<WebhookFields> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw tooLarge();
  const fields = new Map<string, string>();
  const query = (req.originalUrl ?? req.url ?? '').split('?', 2)[1];
  if (query) addForm(fields, query);
  if (Buffer.isBuffer(req.rawBody)) {
    addForm(fields, withinLimit(req.rawBody, maxBytes).toString('utf8'));
  } else if (req.readable && !req.readableEnded && hasBody(req)) {
    addForm(fields, await readStream(req, maxBytes));
  } else if (typeof req.body === 'string') {
    if (Buffer.byteLength(req.body) > maxBytes) throw tooLarge();
    addForm(fields, req.body);
  } else if (Buffer.isBuffer(req.body)) {
    addForm(fields, withinLimit(req.body, maxBytes).toString('utf8'));
  } else if (req.body && typeof req.body === 'object') {
    const body = new Map<string, string>();
    flatten(req.body, '', body);
    if (Buffer.byteLength(new URLSearchParams([...body]).toString()) > maxBytes) throw tooLarge();
    for (const [key, value] of body) fields.set(key, value);
  }
  return fields;
}

function tooLarge(): WebhookBodyError {
  return new WebhookBodyError(413, 'the body is too large');
}

function withinLimit(body: Buffer, maxBytes: number): Buffer {
  if (body.length > maxBytes) throw tooLarge();
  return body;
}

function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

function addForm(fields: Map<string, string>, text: string): void {
  for (const [key, value] of new URLSearchParams(text)) fields.set(key, value);
}

async function readStream(req: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw tooLarge();
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
