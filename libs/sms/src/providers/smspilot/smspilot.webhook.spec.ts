import { SMSPILOT_STATUSES } from './smspilot.codes';
import { smsPilotWebhook } from './smspilot.webhook';

const receivedAt = new Date(1_800_000_000_000);
const context = { provider: 'pilot', config: { driver: 'smspilot' as const, apiKey: 'k' }, receivedAt };
const parse = (entries: Record<string, string>) =>
  smsPilotWebhook.parse(new Map(Object.entries(entries)), context);

describe('SMSPilot callbacks', () => {
  it.each(Object.entries(SMSPILOT_STATUSES))('status %s reads as the status table says', (code, row) => {
    expect(parse({ server_id: '10005', status: code, error: '0' })).toEqual({
      ok: true,
      reports: [
        {
          provider: 'pilot',
          id: '10005',
          kind: 'sms',
          status: row.status,
          final: row.final,
          providerStatus: Number(code),
          at: receivedAt,
          raw: { server_id: '10005', status: code, error: '0' },
        },
      ],
    });
  });

  it('an unknown status is unknown and not final; extra fields stay in raw', () => {
    const result = parse({ server_id: '7', status: '9', error: '0', operator: 'MTS' });
    expect(result).toEqual({
      ok: true,
      reports: [
        expect.objectContaining({
          status: 'unknown',
          final: false,
          raw: expect.objectContaining({ operator: 'MTS' }),
        }),
      ],
    });
  });

  it('refuses a callback without server_id or a numeric status (400)', () => {
    for (const bad of [
      { status: '2' },
      { server_id: '1' },
      { server_id: '1', status: 'two' },
      { server_id: ' ', status: '2' },
    ] as Array<Record<string, string>>) {
      expect(parse(bad)).toMatchObject({ ok: false, status: 400 });
    }
  });
});
