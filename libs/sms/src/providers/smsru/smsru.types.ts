/** The account's daily sending limit (`my/limit`). */
export interface SmsRuLimit {
  /** Messages the account may send a day. */
  total: number;
  /** Messages sent today. */
  usedToday: number;
}

/** The account's free messages to its own number (`my/free`). */
export interface SmsRuFreeMessages {
  /** Free messages a day. */
  total: number;
  /** Free messages used today. */
  usedToday: number;
}

/** One number on the account's stop list (`stoplist/get`). */
export interface SmsRuStoplistEntry {
  /** Digits only, country code first. */
  phone: string;
  /** The note given when the number was added. */
  note: string;
}
