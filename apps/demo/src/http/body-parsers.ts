import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { SmsValidationError } from 'nestjs-sms';

/** The largest body the demo reads (JSON or form), as body-parser writes it. */
export const BODY_LIMIT = '100kb';

/** The deepest nesting of arrays and objects a body may have (`{"items":[{"to":[…]}]}` is 4). */
export const MAX_JSON_DEPTH = 10;

/** The HTTP statuses a refused body answers with. */
export type RequestBodyStatus = 400 | 413 | 415;

/**
 * A body refused before it reached a route: too large (413), too deeply nested or not parseable (400),
 * in an encoding the demo does not read (415). It is an `SmsValidationError` (nothing was sent), so
 * that the error filter answers it with the usual body; it is the caller's mistake, so it is not
 * logged as an error.
 */
export class RequestBodyError extends SmsValidationError {
  constructor(
    readonly status: RequestBodyStatus,
    message: string,
  ) {
    super([{ field: 'body', message }]);
  }
}

/** Whether a UTF-8 JSON text nests arrays and objects deeper than `max`: one pass over the bytes. */
export function jsonDeeperThan(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === 0x5c) i++;
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x5b || byte === 0x7b) {
      if (++depth > max) return true;
    } else if (byte === 0x5d || byte === 0x7d) depth--;
  }
  return false;
}

/** What a body-parser error says to the client, by its `type`. */
function refusal(error: { type?: unknown; status?: unknown }): RequestBodyError | undefined {
  const status = typeof error.status === 'number' ? error.status : 500;
  if (status >= 500) return undefined;
  switch (error.type) {
    case 'entity.too.large':
      return new RequestBodyError(413, `is larger than ${BODY_LIMIT}`);
    case 'entity.too.deep':
    case 'querystring.parse.rangeError':
      return new RequestBodyError(400, `nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`);
    case 'parameters.too.many':
      return new RequestBodyError(413, 'has too many form fields');
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new RequestBodyError(415, 'is in a charset or content encoding the demo does not read');
    case 'entity.parse.failed':
      return new RequestBodyError(400, 'is not valid JSON');
    default:
      return new RequestBodyError(400, 'could not be read');
  }
}

/**
 * Wraps a body-parser so that its client errors become `RequestBodyError`s (the body-parser error
 * holds the raw body: it goes no further). The name is body-parser's own, so that Nest, seeing a
 * parser of that name mounted, does not mount its default one.
 */
function mapped(name: 'jsonParser' | 'urlencodedParser', parser: RequestHandler): RequestHandler {
  const handler = (req: Request, res: Response, next: NextFunction): void =>
    void parser(req, res, (error?: unknown) => {
      if (error === undefined || error === null) return next();
      next(refusal(error as { type?: unknown; status?: unknown }) ?? error);
    });
  Object.defineProperty(handler, 'name', { value: name });
  return handler;
}

/**
 * The demo's body parsers, mounted by `configureApp` in place of Nest's defaults: JSON (UTF-8 only,
 * its depth checked on the raw bytes before it is parsed) and forms (`qs`, as deep at most), both up
 * to `BODY_LIMIT`.
 */
export function createBodyParsers(): { json: RequestHandler; urlencoded: RequestHandler } {
  const json = express.json({
    limit: BODY_LIMIT,
    verify: (_req, _res, bytes, encoding) => {
      if (encoding.toLowerCase() !== 'utf-8')
        throw Object.assign(new Error('JSON must be UTF-8'), { status: 415, type: 'charset.unsupported' });
      if (jsonDeeperThan(bytes, MAX_JSON_DEPTH))
        throw Object.assign(new Error('too deep'), { status: 400, type: 'entity.too.deep' });
    },
  });
  // `depth` is body-parser 2's (not in its types yet): qs nests no deeper, and refuses deeper input.
  const formOptions = { limit: BODY_LIMIT, extended: true, depth: MAX_JSON_DEPTH };
  const urlencoded = express.urlencoded(formOptions);
  return { json: mapped('jsonParser', json), urlencoded: mapped('urlencodedParser', urlencoded) };
}
