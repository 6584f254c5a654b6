import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SmsConfigurationError } from '../errors';
import { type ProviderSendRequest, type ProviderSendResult, type SmsModuleOptions } from '../interfaces';
import { type SmsDriverDefinition } from '../providers/driver-definition';
import { SmsModule } from '../sms.module';
import { nearestName } from './unknown-fields';

/** A driver class that lists its config fields. */
@Injectable()
class ListedFieldsProvider {
  static readonly configFields = ['endpoint', 'token'];
  readonly capabilities = ['send'] as const;
  async send(request: ProviderSendRequest): Promise<ProviderSendResult> {
    return {
      messages: request.messages.map((m) => ({ ...m, segments: 1, accepted: false, status: 'failed' })),
    };
  }
}

/** A driver definition of our own, with one field. */
const ownDriver: SmsDriverDefinition = {
  name: 'own-gateway',
  fields: ['endpoint'],
  create: () => new ListedFieldsProvider(),
};

/** The message that starting a module with these options fails with. */
async function startError(options: unknown): Promise<string> {
  const error = await Test.createTestingModule({
    imports: [SmsModule.forRoot(options as SmsModuleOptions)],
  })
    .compile()
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SmsConfigurationError);
  return (error as Error).message;
}

describe('config typos fail at start, naming the field and the nearest known name', () => {
  it('a module option', async () => {
    const message = await startError({
      providers: { main: { driver: 'memory' }, backup: { driver: 'memory' } },
      failovr: ['main', 'backup'],
    });
    expect(message).toBe(
      'SmsModule configuration: "failovr" is not a known field (did you mean `failover`?)',
    );
  });

  it('a nested module option', async () => {
    const message = await startError({ providers: { main: { driver: 'memory' } }, retry: { maxAttemps: 2 } });
    expect(message).toMatch(/"retry\.maxAttemps" is not a known field \(did you mean `maxAttempts`\?\)/);
  });

  it('a built-in provider field', async () => {
    const message = await startError({ providers: { main: { driver: 'memory', sendr: 'MyShop' } } });
    expect(message).toBe(
      'SmsModule configuration: provider "main" (memory): "sendr" is not a known field (did you mean `sender`?)',
    );
  });

  it('a custom driver field, from its definition', async () => {
    const message = await startError({
      providers: { own: { driver: ownDriver, endpont: 'https://gateway.test' } },
    });
    expect(message).toBe(
      'SmsModule configuration: provider "own" (own-gateway): "endpont" is not a known field (did you mean `endpoint`?)',
    );
  });

  it('a custom driver class field, from its static configFields', async () => {
    const message = await startError({
      providers: { own: { driver: ListedFieldsProvider, endpoint: 'https://gateway.test', tokne: 'x' } },
    });
    expect(message).toMatch(
      /provider "own" \(ListedFieldsProvider\): "tokne" is not a known field \(did you mean `token`\?\)/,
    );
  });

  it('a field far from every known one lists the known fields', async () => {
    const message = await startError({ providers: { dev: { driver: 'memory', colour: 'red' } } });
    expect(message).toMatch(
      /"colour" is not a known field \(known: driver, sender, test, maxRecipients, outboxLimit\)/,
    );
  });

  it('suggests only names near enough to be a typo', () => {
    expect(nearestName('sedner', ['sender', 'test'])).toBe('sender');
    expect(nearestName('maxrecipients', ['maxRecipients'])).toBe('maxRecipients');
    expect(nearestName('colour', ['sender', 'test'])).toBeUndefined();
  });
});
