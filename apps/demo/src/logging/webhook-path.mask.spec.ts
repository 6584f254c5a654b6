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

  it('hides a segment that looks like a token anywhere, with or without a webhook path', () => {
    const hex = 'f3a9c1d27be84f6a90c3d5e7b1a2c4d6e8f0a1b2c3d4e5f6';
    expect(mask(`/hooks/main/${token}`)).toBe('/hooks/main/***');
    expect(mask(`/api/${hex}/x`)).toBe('/api/***/x');
    expect(mask(`/${token.replace('7', '%37')}`)).toBe('/***');
    expect(createWebhookPathMask(undefined, ['main'])(`/sms/webhooks/main/${token}`)).toBe(
      '/sms/webhooks/main/***',
    );
    expect(mask('/sms/callbacks/AbcdefghijKlmnopqrst')).toBe('/sms/callbacks/***');
  });

  it('hides a segment that holds a configured token, even one that does not look like a token', () => {
    const plain = 'onlylowercaselettersxx';
    const withTokens = createWebhookPathMask('sms/webhooks', ['main'], [plain]);
    expect(withTokens(`/old/path/${plain}`)).toBe('/old/path/***');
    expect(withTokens(`/old/x${plain.toUpperCase()}y`)).toBe('/old/***');
    expect(mask(`/old/path/${plain}`)).toBe(`/old/path/${plain}`);
  });

  it('leaves every other path as it is', () => {
    for (const path of [
      '/sms',
      '/sms/status',
      '/sms/webhooks',
      '/sms/webhooks/main',
      '/health/ready',
      '/',
      '/docs/swagger-ui-bundle.js',
      '/docs/swagger-ui-standalone-preset.js',
      '/outbox/messages',
      '/sms/queue/order-42',
    ])
      expect(mask(path)).toBe(path);
  });
});
