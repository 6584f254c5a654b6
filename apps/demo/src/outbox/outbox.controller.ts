import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  type MessageEvent,
  type OnModuleDestroy,
  Req,
  Sse,
} from '@nestjs/common';
import { type Request, type Response } from 'express';
import {
  ApiExcludeEndpoint,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type OutboxMessage } from 'nestjs-sms/testing';
import { SmsOutbox } from 'nestjs-sms/testing';
import { interval, map, merge, type Observable, Subject, takeUntil } from 'rxjs';
import { OutboxMessageResponse } from './outbox-message.response';

/** How often the event stream sends a `ping` event, so that proxies keep it open. */
const HEARTBEAT_MS = 20_000;
/** How long shutdown waits for the open event streams to be flushed. */
const STREAM_END_TIMEOUT_MS = 1000;

/** The page, copied next to the compiled controller by the `assets` of `nest-cli.json`. */
function readPage(): string {
  const path = join(__dirname, 'outbox.html');
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new Error(
      `${path} is missing: the "assets" of the demo in nest-cli.json must copy src/**/*.html beside the compiled files`,
    );
  }
}

/**
 * The dev outbox: a page that shows what the memory providers "sent", live, and the JSON and
 * event stream behind it. Registered only when a memory provider is configured.
 */
@ApiTags('dev outbox')
@Controller('outbox')
export class OutboxController implements OnModuleDestroy {
  private readonly page = readPage();
  private readonly closing = new Subject<void>();
  private readonly streams = new Set<Response>();

  constructor(private readonly outbox: SmsOutbox) {}

  /** The page (self-contained HTML). */
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiExcludeEndpoint()
  html(): string {
    return this.page;
  }

  /** The kept messages, newest first. */
  @Get('messages')
  @ApiOperation({ summary: 'Messages the memory providers took, newest first' })
  @ApiOkResponse({ type: [OutboxMessageResponse] })
  messages(): OutboxMessage[] {
    return this.outbox.messages.reverse();
  }

  /** Empties the outbox. */
  @Delete('messages')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Empty the outbox' })
  @ApiNoContentResponse()
  clear(): void {
    this.outbox.clear();
  }

  /** Server-sent events: `added`, `updated` (a status changed) and `cleared`. */
  @Sse('events')
  @ApiOperation({ summary: 'Outbox changes as server-sent events (added, updated, cleared)' })
  events(@Req() req: Request): Observable<MessageEvent> {
    const res = req.res;
    if (res) {
      this.streams.add(res);
      res.once('close', () => this.streams.delete(res));
    }
    const changes = this.outbox.changes$.pipe(
      map((change): MessageEvent => ({ type: change.type, data: change })),
    );
    const heartbeat = interval(HEARTBEAT_MS).pipe(map((): MessageEvent => ({ type: 'ping', data: {} })));
    return merge(changes, heartbeat).pipe(takeUntil(this.closing));
  }

  /**
   * Ends the open event streams and waits until they are flushed, so that the HTTP server sees
   * their connections idle and closes them at once instead of waiting for browsers to leave.
   */
  async onModuleDestroy(): Promise<void> {
    const flushed = [...this.streams].map(
      (res) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, STREAM_END_TIMEOUT_MS);
          res.once('finish', () => {
            clearTimeout(timer);
            resolve();
          });
        }),
    );
    this.closing.next();
    this.closing.complete();
    await Promise.all(flushed);
  }
}
