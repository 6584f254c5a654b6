import { Controller, Get, type INestApplication, Module } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import { type Redis } from 'ioredis';
import { SmsModule } from 'nestjs-sms';
import { SmsHealthModule, SmsQueueHealthIndicator } from 'nestjs-sms/health';
import { SmsQueueModule } from 'nestjs-sms/queue';
import request from 'supertest';
import { connectRedis, REDIS_URL, removeKeys, testPrefix } from '../queue/queue-test-kit';
import { closedPort } from './health-app';

describe('SmsQueueHealthIndicator: the queue’s Redis in a readiness probe', () => {
  const prefix = testPrefix('health');
  let redis: Redis;
  let app: INestApplication | undefined;

  @Controller('health')
  class HealthController {
    constructor(
      private readonly health: HealthCheckService,
      private readonly queue: SmsQueueHealthIndicator,
    ) {}

    @Get()
    @HealthCheck()
    ready() {
      return this.health.check([() => this.queue.isHealthy('queue', { timeoutMs: 500 })]);
    }
  }

  async function boot(connection?: string): Promise<INestApplication> {
    @Module({
      imports: [TerminusModule.forRoot({ logger: false }), SmsHealthModule.forRoot()],
      controllers: [HealthController],
    })
    class HealthModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [
        SmsModule.forRoot({ providers: { main: { driver: 'memory' } } }),
        ...(connection ? [SmsQueueModule.forRoot({ connection, prefix, worker: false })] : []),
        HealthModule,
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    return app;
  }

  beforeAll(async () => {
    redis = await connectRedis();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  afterAll(async () => {
    await removeKeys(redis, prefix);
    redis.disconnect();
  });

  it('Redis answers: 200, up, with the queue name and the latency', async () => {
    const res = await request((await boot(REDIS_URL)).getHttpServer())
      .get('/health')
      .expect(200);
    expect(res.body.info.queue).toEqual({ status: 'up', queue: 'sms', latencyMs: expect.any(Number) });
  });

  it('Redis unreachable: 503 unreachable within timeoutMs, without the URL or its password', async () => {
    const port = await closedPort();
    const server = (await boot(`redis://probe:s3cret@127.0.0.1:${port}`)).getHttpServer();
    const started = Date.now();
    const res = await request(server).get('/health').expect(503);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(res.body.error.queue).toMatchObject({
      status: 'down',
      queue: 'sms',
      reason: 'unreachable',
      message: 'Redis of queue "sms" gave no answer within 500 ms (or refused the command)',
    });
    expect(JSON.stringify(res.body)).not.toMatch(/s3cret|probe|127\.0\.0\.1/);
  });

  it('no SmsQueueModule: down, misconfigured', async () => {
    const res = await request((await boot()).getHttpServer())
      .get('/health')
      .expect(503);
    expect(res.body.error.queue).toMatchObject({ status: 'down', reason: 'misconfigured' });
  });
});
