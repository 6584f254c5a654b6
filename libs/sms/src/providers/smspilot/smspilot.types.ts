import { type SentMessage } from '../../interfaces/results.interface';
import { type SmsPilotHlrState } from './smspilot.codes';

/** The account behind the credentials (`SmsPilotProvider.getInfo`). */
export interface SmsPilotAccountInfo {
  /** Contract number. */
  id: number;
  tariffId: number;
  email: string;
  name: string;
  /** The account owner's phone, digits only. */
  phone: string;
  /** Current balance in RUB. */
  balance: number;
  /** When the account was registered (SMSPilot gives GMT). */
  registeredAt: Date;
  /** Sender used when a send names none. */
  defaultSender?: string;
  /** Senders the account may use. */
  senders: string[];
}

/** Which inbound messages to read: every one, the unread ones, or those received since a moment. */
export type SmsPilotInboundFilter = 'all' | 'new' | Date;

/** A message received on the account's numbers (replies to 2WAY messages, for instance). */
export interface SmsPilotInboundMessage {
  id: string;
  /** The sender's phone, digits only. */
  from: string;
  /** The service number that received it. */
  to: string;
  text: string;
  /** When it arrived (SMSPilot gives GMT). */
  receivedAt: Date;
  /** Whether it was already read through the API or the account. */
  seen: boolean;
}

/** The result of an HLR request (`SmsPilotProvider.getHlrStatus`). */
export interface SmsPilotHlrResult {
  /** The id `sendHlr` returned. */
  id: string;
  phone?: string;
  price?: number;
  /** SMSPilot's HLR status code (table 6.3); `'not_listed'` when SMSPilot answered without this id. */
  providerStatus: number | 'not_listed';
  state: SmsPilotHlrState;
  /** True when the state can no longer change. */
  final: boolean;
  /** The SIM card's IMSI. */
  imsi?: string;
  /** The switching centre that serves the subscriber now. */
  msc?: string;
  /** Mobile country code (kept as text: `250`). */
  mcc?: string;
  /** Mobile network code (kept as text: `01` and `001` differ). */
  mnc?: string;
  /** Home country. */
  country?: string;
  /** Home network. */
  network?: string;
  /** Whether the subscriber is in a foreign network now. */
  roaming: boolean;
  roamingCountry?: string;
  roamingNetwork?: string;
}

/** What `sendHlr`, `sendPing`, `sendVoice` and `sendTwoWay` return. */
export interface SmsPilotSubmission {
  /** One entry per distinct number, in input order. */
  messages: SentMessage[];
  /** Total cost in RUB, when SMSPilot tells it. */
  cost?: number;
  /** Balance after the request, when SMSPilot tells it. */
  balance?: number;
}

/** A voice call or a 2WAY message: one text to one or more numbers. */
export interface SmsPilotMessageInput {
  /** One number or many, in any common notation. */
  to: string | string[];
  /** The text to read out (voice) or to send (2WAY). */
  text: string;
  /** SMSPilot's emulator: nothing delivered, nothing charged. Default: the provider config's `test`. */
  test?: boolean;
}

/** Options of the driver's own calls. */
export interface SmsPilotCallOptions {
  /** Aborts the call. */
  signal?: AbortSignal;
}
