import { type INestApplication } from '@nestjs/common';
import { type ConfigType } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { type NextFunction, type Request, type Response } from 'express';
import { serverConfig } from './config/server.config';
import { smsConfig } from './config/sms.config';
import { createApiKeyMiddleware } from './http/api-key.middleware';
import { createBodyParsers } from './http/body-parsers';
import { RequestLoggerMiddleware } from './logging/request-logger.middleware';
import { DemoErrorFilter } from './sms/sms-error.filter';
import { createValidationPipe } from './sms/validation.pipe';

/** Where the OpenAPI UI is served; the JSON document is at `<path>-json`. */
export const OPENAPI_PATH = 'docs';

/** The OpenAPI document of the demo, built from its controllers and DTO descriptions. */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('nestjs-sms demo')
    .setDescription(
      'Send SMS through SMS.ru and SMSPilot (or the in-memory provider) with failover. Errors share one body: ' +
        '`code`, `outcome` (`unknown`: the message may have been sent, do not resend), `retryable`. ' +
        'The delivery-report endpoints the providers call are not listed here: see docs/webhooks.md.',
    )
    .setVersion('1.0')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/**
 * Everything the demo sets on the application besides its modules, in this order: the request log
 * (first, ahead of the module middleware that answers the provider callbacks, so that those are
 * logged too), the API key when `DEMO_API_KEY` is set (ahead of everything that reads a body or
 * answers), the body parsers (size and depth bounded, see `createBodyParsers`), the global
 * `ValidationPipe`, the `SmsError` filter, OpenAPI at `/docs`, shutdown hooks. Shared by `main.ts`
 * and the tests; call it before `init()` / `listen()`.
 */
export function configureApp(app: INestApplication): INestApplication {
  const requestLogger = app.get(RequestLoggerMiddleware);
  app.use((req: Request, res: Response, next: NextFunction) => requestLogger.use(req, res, next));
  const parsers = createBodyParsers();
  const { apiKey } = app.get<ConfigType<typeof serverConfig>>(serverConfig.KEY);
  if (apiKey) {
    const webhookPath = app.get<ConfigType<typeof smsConfig>>(smsConfig.KEY).webhooks?.path;
    app.use(createApiKeyMiddleware({ apiKey, webhookPath, urlencoded: parsers.urlencoded }));
  }
  app.use(parsers.json, parsers.urlencoded);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new DemoErrorFilter(app.get(HttpAdapterHost)));
  SwaggerModule.setup(OPENAPI_PATH, app, () => createOpenApiDocument(app));
  app.enableShutdownHooks();
  return app;
}
