import { readFileSync } from 'node:fs';
import { SmsModule } from 'nestjs-sms';

export const sms = SmsModule.forRoot({
  providers: {
    main: {
      driver: 'smsru',
      apiId: process.env.SMSRU_API_ID,
      // http://user:password@proxy.internal:3128: the password is kept out of every error and log line.
      proxy: process.env.SMS_EGRESS_PROXY,
      // The CA of a TLS-inspecting proxy, or of a provider behind a private one.
      tls: { ca: readFileSync(process.env.SMS_EGRESS_CA_FILE!) },
    },
  },
});
