import { type SmsPilotProvider, type SmsService } from 'nestjs-sms';

export async function accountInfo(pilot: SmsPilotProvider) {
  // #region info
  const info = await pilot.getInfo();
  // { id: 5671, tariffId: 5, email, name, phone, balance: 2934.76,
  //   registeredAt: Date (GMT), defaultSender: 'INFORM', senders: ['INFORM', 'test', …] }
  // #endregion info
  return info;
}

export async function readInbound(pilot: SmsPilotProvider) {
  // #region inbound
  const all = await pilot.getInbound('all'); // every inbound message
  const unread = await pilot.getInbound('new'); // unread ones; SMSPilot marks them read
  const lastHour = await pilot.getInbound(new Date(Date.now() - 3600e3)); // received since then (sent as UNIX time)
  // [{ id: '6061', from: '79087964781', to: '79021121075', text: '51 test', receivedAt: Date, seen: false }]
  // #endregion inbound
  return { all, unread, lastHour };
}

export async function checkNumber(sms: SmsService, pilot: SmsPilotProvider) {
  // #region hlr
  const request = await pilot.sendHlr('+7 908 796-47-81'); // send=HLR; request.id, request.price (0.17)
  const [hlr] = await pilot.getHlrStatus(request.id!);
  // { id, phone, price, providerStatus: 2, state: 'served', final: true,
  //   imsi: '250203122060176', msc: '790434', mcc: '250', mnc: '20', country: 'Russia', network: 'Tele2',
  //   roaming: false } (roamingCountry, roamingNetwork when abroad)

  const ping = await pilot.sendPing('79087964781'); // send=PING, a hidden message
  const [state] = await sms.getStatus(ping.id!, { provider: 'backup' }); // delivered = the handset is on
  // #endregion hlr
  return { request, hlr, ping, state };
}

export async function callAndAsk(pilot: SmsPilotProvider) {
  // #region voice
  const call = await pilot.sendVoice({ to: '79087964781', text: 'Your code is 1 2 3 4' }); // from=GOLOS: a robot reads it out
  const poll = await pilot.sendTwoWay({ to: ['79087964781'], text: 'Rate us 1-5' }); // from=2WAY
  const replies = await pilot.getInbound('new'); // the answers to 2WAY messages
  // #endregion voice
  return { call, poll, replies };
}
