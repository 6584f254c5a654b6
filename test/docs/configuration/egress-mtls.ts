import { readFileSync } from 'node:fs';
import { SmsModule } from 'nestjs-sms';

/** A PEM file named by an environment variable. */
const pem = (variable: string) => readFileSync(process.env[variable]!);

export const sms = SmsModule.forRoot({
  providers: {
    backup: {
      driver: 'smspilot',
      apiKey: process.env.SMSPILOT_API_KEY,
      // Never through HTTPS_PROXY, whatever the environment says.
      proxy: false,
      tls: {
        ca: pem('GATEWAY_CA_FILE'),
        cert: pem('GATEWAY_CLIENT_CERT_FILE'),
        key: pem('GATEWAY_CLIENT_KEY_FILE'),
        passphrase: process.env.GATEWAY_CLIENT_KEY_PASSPHRASE,
      },
    },
  },
});
