/**
 * A minimal SMS.ru `sms/send` endpoint for the benchmark, run as a child process (see
 * `fake-smsru.client.ts`) so that its work is not counted in the client's event loop.
 *
 * Every send (a POST of a form, or a GET with a query, as `node-sms-ru` sends) is accepted at once: the answer has the layout of the `deliver_single` body recorded
 * against the live API (PHP pretty print, four-space indent, `"balance": 1000.0`), with one
 * `"status": "OK"` entry a number. The answer for the one number of the overhead runs is built once.
 * It counts requests and numbers, and reports them over IPC.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type FakeSmsRuMessage, OVERHEAD_NUMBER } from './fake-smsru.protocol';

let sequence = 1_000_000;
const counters = { requests: 0, sendRequests: 0, numbers: 0 };

function entry(to: string): string {
  const id = `202626-${sequence++}`;
  return `        "${to}": {\n            "status": "OK",\n            "status_code": 100,\n            "sms_id": "${id}"\n        }`;
}

function sendBody(entries: string[]): string {
  return `{\n    "status": "OK",\n    "status_code": 100,\n    "sms": {\n${entries.join(',\n')}\n    },\n    "balance": 1000.0\n}`;
}

const ERROR_BODY =
  '{\n    "status": "ERROR",\n    "status_code": 211,\n    "status_text": "Метод не найден"\n}';
const PREPARED = Buffer.from(sendBody([entry(OVERHEAD_NUMBER)]));
const HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/** The numbers of a send: `to=<a>,<b>` or `to[<number>]=<text>` fields. */
function numbersOf(body: string): string[] {
  const form = new URLSearchParams(body);
  const list = form.get('to');
  if (list !== null) return list.split(',');
  return [...form.keys()].filter((k) => k.startsWith('to[')).map((k) => k.slice(3, -1));
}

/**
 * A send is a POST of a form, or a GET with the fields in the query string (as `node-sms-ru` sends);
 * the query of a POST (`?json=1`) is not read.
 */
function answer(req: IncomingMessage, res: ServerResponse, body: string): void {
  counters.requests++;
  const url = req.url ?? '';
  const get = req.method === 'GET';
  if ((!get && req.method !== 'POST') || !url.startsWith('/sms/send')) {
    res.writeHead(200, HEADERS).end(ERROR_BODY);
    return;
  }
  counters.sendRequests++;
  const numbers = numbersOf(get ? url.slice(url.indexOf('?') + 1) : body);
  counters.numbers += numbers.length;
  if (numbers.length === 1 && numbers[0] === OVERHEAD_NUMBER) {
    res.writeHead(200, HEADERS).end(PREPARED);
    return;
  }
  res.writeHead(200, HEADERS).end(sendBody(numbers.map(entry)));
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => answer(req, res, Buffer.concat(chunks).toString('utf8')));
});
// Idle keep-alive sockets stay open between rounds: no reconnects, no retried resets in the figures.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 121_000;

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send!({ type: 'listening', port } satisfies FakeSmsRuMessage);
});

process.on('message', (message: FakeSmsRuMessage) => {
  if (message.type === 'stats') process.send!({ type: 'stats', ...counters } satisfies FakeSmsRuMessage);
});
process.on('disconnect', () => process.exit(0));
