import { loadSmsRuRecordings, SmsRuFake, smsRuJson, type SmsRuRecording } from '../fakes/smsru-fake.server';

/** Sends a recorded request to the fake as recorded, the fake's api_id in place of the placeholder. */
async function replay(fake: SmsRuFake, recording: SmsRuRecording) {
  const response = await fetch(`${fake.url}${recording.path}?${recording.query}`, {
    method: recording.method,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: recording.body.replace('<API_ID>', encodeURIComponent(fake.apiId)),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: await response.text(),
  };
}

describe('SmsRuFake (the fake SMS.ru the driver tests talk to)', () => {
  const recordings = loadSmsRuRecordings();
  let fake: SmsRuFake | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('has every recording of the live API to answer', () => {
    expect(recordings.map((r) => r.group)).toEqual(
      expect.arrayContaining([
        'authed',
        'balance',
        'callbacks',
        'cost',
        'deliver_many',
        'deliver_multi',
        'deliver_single',
      ]),
    );
    expect(recordings.length).toBeGreaterThanOrEqual(13);
  });

  it('answers every recorded request with the recorded body, byte for byte', async () => {
    const server = (fake = await SmsRuFake.start());
    for (const recording of recordings) {
      const answer = await replay(server, recording);
      expect({ group: recording.group, ...answer }).toEqual({
        group: recording.group,
        status: recording.status,
        contentType: recording.contentType,
        body: recording.responseBody,
      });
    }
  });

  it('writes its own answers in the live layout: without replay, the account and status recordings still match', async () => {
    const server = (fake = await SmsRuFake.start({ replayRecorded: false }));
    const generated = recordings.filter(
      (r) => !['cost', 'deliver_many', 'deliver_multi', 'deliver_single'].includes(r.group),
    );
    expect(generated.map((r) => r.group)).toEqual(
      expect.arrayContaining(['authed', 'balance', 'callbacks', 'free', 'limit', 'senders', 'status']),
    );
    for (const recording of generated) {
      expect((await replay(server, recording)).body).toBe(recording.responseBody);
    }
  });

  it('follows the seed where nothing was recorded: a send is accepted with an id and charged', async () => {
    const server = (fake = await SmsRuFake.start({ balance: 10 }));
    const response = await fetch(`${server.url}/sms/send?json=1`, {
      method: 'POST',
      body: new URLSearchParams({ api_id: server.apiId, to: '79255070602,74993221627', msg: 'hello world' }),
    });
    const body = JSON.parse(await response.text()) as {
      sms: Record<string, { status: string; sms_id: string }>;
      balance: number;
    };
    expect(body.sms['79255070602']).toMatchObject({
      status: 'OK',
      status_code: 100,
      sms_id: expect.any(String),
    });
    expect(body.sms['74993221627'].status).toBe('OK');
    expect(body.balance).toBe(7);
  });

  it('refuses GET (210), an unknown method (211) and a wrong api_id (200) as SMS.ru does', async () => {
    const server = (fake = await SmsRuFake.start());
    const get = await fetch(`${server.url}/my/balance?json=1`);
    expect(JSON.parse(await get.text())).toMatchObject({ status: 'ERROR', status_code: 210 });
    const unknown = await fetch(`${server.url}/my/nothing?json=1`, {
      method: 'POST',
      body: `api_id=${server.apiId}`,
    });
    expect(JSON.parse(await unknown.text())).toMatchObject({ status: 'ERROR', status_code: 211 });
    const wrong = await fetch(`${server.url}/my/balance?json=1`, { method: 'POST', body: 'api_id=wrong' });
    expect(JSON.parse(await wrong.text())).toMatchObject({ status: 'ERROR', status_code: 200 });
  });

  it('refuses a cost request without msg with 203 ("no message text"), text= included, and prices one with msg', async () => {
    const server = (fake = await SmsRuFake.start());
    const ask = async (fields: Record<string, string>) => {
      const response = await fetch(`${server.url}/sms/cost?json=1`, {
        method: 'POST',
        body: new URLSearchParams({ api_id: server.apiId, to: '79255070602', ...fields }),
      });
      return JSON.parse(await response.text()) as Record<string, unknown>;
    };
    const withoutMsg: Array<Record<string, string>> = [{}, { text: 'Not the documented field' }, { msg: '' }];
    for (const fields of withoutMsg) {
      expect(await ask(fields)).toEqual({
        status: 'ERROR',
        status_code: 203,
        status_text: 'Нет текста сообщения',
      });
    }
    expect(await ask({ msg: 'Priced' })).toMatchObject({
      status: 'OK',
      sms: { '79255070602': { status: 'OK', status_code: 100, cost: '1.50', sms: 1 } },
      total_cost: 1.5,
      total_sms: 1,
    });
    expect(server.requestsTo('sms/send')).toHaveLength(0);
  });

  it("refuses an end user's ip that is invalid or private with 507, as the seed says, and takes a public one", async () => {
    const server = (fake = await SmsRuFake.start({ replayRecorded: false }));
    const send = async (ip: string) => {
      const response = await fetch(`${server.url}/sms/send?json=1`, {
        method: 'POST',
        body: new URLSearchParams({ api_id: server.apiId, to: '79255070602', msg: 'hi', ip }),
      });
      return JSON.parse(await response.text()) as Record<string, unknown>;
    };
    for (const ip of [
      '10.1.2.3',
      '192.168.0.7',
      '172.20.0.1',
      '127.0.0.1',
      '169.254.1.1',
      '::1',
      'fd00::1',
      'nope',
    ]) {
      expect([ip, await send(ip)]).toEqual([
        ip,
        expect.objectContaining({ status: 'ERROR', status_code: 507 }),
      ]);
    }
    expect(await send('203.0.113.7')).toMatchObject({ status: 'OK' });
    expect(await send('2001:db8::7')).toMatchObject({ status: 'OK' });
    expect(server.messages.size).toBe(2);
  });

  it('answers any code of the table for a whole request or for one number, per method', async () => {
    const server = (fake = await SmsRuFake.start({ replayRecorded: false }));
    const send = async (to: string) => {
      const response = await fetch(`${server.url}/sms/send?json=1`, {
        method: 'POST',
        body: new URLSearchParams({ api_id: server.apiId, to, msg: 'hi' }),
      });
      return JSON.parse(await response.text()) as Record<string, unknown>;
    };
    server.failRequests('sms/send', 505, 1);
    expect(await send('79255070602')).toMatchObject({ status: 'ERROR', status_code: 505 });
    server.recipient('79255070602', { code: 231 });
    expect(await send('79255070602,74993221627')).toMatchObject({
      status: 'OK',
      sms: {
        '79255070602': { status: 'ERROR', status_code: 231 },
        '74993221627': { status: 'OK', status_code: 100 },
      },
    });
  });

  it('prints JSON as PHP does: escaped slashes, floats with a point, empty arrays, key order kept', () => {
    const map = new Map<string, unknown>([
      ['74993221627', 1],
      ['12345', 2],
    ]);
    expect(smsRuJson({ url: 'https://a/b', list: [], map })).toBe(
      '{\n    "url": "https:\\/\\/a\\/b",\n    "list": [],\n    "map": {\n        "74993221627": 1,\n        "12345": 2\n    }\n}',
    );
  });
});
