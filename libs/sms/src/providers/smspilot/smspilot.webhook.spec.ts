import { type DeliveryReport } from '../../events/delivery-report.interface';
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

  it("a non-zero error reaches the report's error, with SMSPilot's text when the callback carries one", () => {
    const [bare] = (parse({ server_id: '8', status: '-1', error: '3' }) as { reports: DeliveryReport[] })
      .reports;
    expect(bare).toMatchObject({ status: 'undelivered', error: { providerCode: '3' } });
    expect(bare.error).toEqual({ providerCode: '3' });
    const [texted] = (
      parse({
        server_id: '8',
        status: '-2',
        error: '111',
        error_en: 'Invalid phone',
        error_ru: 'Неверный номер',
      }) as {
        reports: DeliveryReport[];
      }
    ).reports;
    expect(texted.error).toEqual({ providerCode: '111', providerMessage: 'Неверный номер' });
    const [ok] = (parse({ server_id: '8', status: '2', error: '0' }) as { reports: DeliveryReport[] })
      .reports;
    expect(ok).not.toHaveProperty('error');
  });

  it.each([
    [
      'an HLR callback (HLR fields)',
      { imsi: '250203122060176', mcc: '250', mnc: '20', cn: 'Russia', net: 'Tele2' },
    ],
    ['an HLR callback (message=HLR)', { message: 'HLR' }],
    ['a PING callback (message=PING)', { message: 'PING' }],
    ['a PING callback (sender PING)', { sender: 'PING' }],
  ])('%s is acknowledged and is no delivery report', (_what, extra) => {
    expect(parse({ server_id: '9', status: '2', error: '0', ...extra })).toEqual({ ok: true, reports: [] });
  });

  it('an SMS whose callback carries country and operator stays a report', () => {
    const result = parse({
      server_id: '9',
      status: '2',
      error: '0',
      country: 'RU',
      operator: 'MTS',
      sender: 'INFORM',
    });
    expect(result).toMatchObject({ ok: true, reports: [{ id: '9', status: 'delivered' }] });
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
