import { type SendInput } from 'nestjs-sms';

/** The first number of the test messages; message `i` goes to `FIRST_NUMBER + i`. */
const FIRST_NUMBER = 79_250_000_000;

/** Test message `i`: its own number and text, so that the fake server can tell every message apart. */
export function messageFor(i: number): SendInput {
  return { to: String(FIRST_NUMBER + i), text: `Queue test message ${i}` };
}
