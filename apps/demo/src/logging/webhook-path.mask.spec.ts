import { createWebhookPathMask } from './webhook-path.mask';

describe('createWebhookPathMask', () => {
  const token = 'Tk7-wq2Lx9_ZpR4mVb8n';
  const mask = createWebhookPathMask('sms/webhooks', ['main', 'backup']);

  it('keeps the provider and hides the token', () => {
    expect(mask(`/sms/webhooks/main/${token}`)).toBe('/sms/webhooks/main/***');
    expect(mask(`/sms/webhooks/backup/${token}`)).toBe('/sms/webhooks/backup/***');
  });

  it('hides every spelling that reaches the endpoint, or might', () => {
    expect(mask(`/SMS/Webhooks/main/${token}/`)).toBe('/SMS/Webhooks/main/***');
    expect(mask(`//sms//webhooks/main/${token.replace('7', '%37')}`)).toBe('/sms/webhooks/main/***');
    expect(mask(`/sms%2Fwebhooks/main%2F${token}`)).toBe('/sms/webhooks/main/***');
    expect(mask(`/api/sms/webhooks/main/${token}/extra`)).toBe('/api/sms/webhooks/main/***');
    expect(mask(`/sms/webhooks/main/%E0%A4%A/${token}`)).toBe('/sms/webhooks/main/***');
  });

  it('hides a segment that is not a configured provider (it may be a token put in the wrong place)', () => {
    expect(mask(`/sms/webhooks/${token}`)).toBe('/sms/webhooks/***');
    expect(mask(`/sms/webhooks/nobody/${token}`)).toBe('/sms/webhooks/***');
  });

  it('leaves every other path as it is', () => {
    for (const path of ['/sms', '/sms/status', '/sms/webhooks', '/sms/webhooks/main', '/health/ready', '/'])
      expect(mask(path)).toBe(path);
    expect(createWebhookPathMask(undefined, ['main'])(`/sms/webhooks/main/${token}`)).toBe(
      `/sms/webhooks/main/${token}`,
    );
  });
});
