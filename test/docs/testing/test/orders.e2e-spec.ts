import { type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SmsOutbox, SmsTestingModule } from 'nestjs-sms/testing';
import request from 'supertest';
import { AppModule } from '../src/app.module';

describe('POST /orders', () => {
  let app: INestApplication;
  let outbox: SmsOutbox;

  beforeAll(async () => {
    const moduleRef = await SmsTestingModule.override(Test.createTestingModule({ imports: [AppModule] }), {
      providers: ['main', 'backup'],
      failover: ['main', 'backup'],
    }).compile();
    app = await moduleRef.createNestApplication().init();
    outbox = SmsOutbox.from(app);
  });
  afterEach(() => outbox.reset());
  afterAll(() => app.close());

  it('texts the customer', async () => {
    await request(app.getHttpServer())
      .post('/orders')
      .send({ phone: '+79255070602', item: 'Tea' })
      .expect(201);
    expect(await outbox.waitFor('+79255070602')).toMatchObject({ text: expect.stringContaining('Tea') });
  });

  it('still texts the customer when the main provider is down', async () => {
    outbox.outage({ provider: 'main' });
    await request(app.getHttpServer())
      .post('/orders')
      .send({ phone: '+79255070602', item: 'Tea' })
      .expect(201);
    expect(outbox.from('backup')).toHaveLength(1);
  });
});
