import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { checkClientIp } from '../message/client-ip';

/**
 * Checks an end user's IP address: a public unicast IPv4 or IPv6 address, as `SmsService` accepts
 * it for `clientIp` (private, loopback, link-local, carrier-grade NAT, multicast, reserved and
 * documentation addresses are refused; see `checkClientIp`).
 *
 * @example
 * class SendDto {
 *   @IsOptional()
 *   @IsSmsClientIp()
 *   clientIp?: string;
 * }
 */
export function IsSmsClientIp(validationOptions?: ValidationOptions) {
  return (target: object, propertyName: string): void => {
    registerDecorator({
      name: 'isSmsClientIp',
      target: target.constructor,
      propertyName,
      options: validationOptions,
      validator: {
        validate: (value: unknown) => checkClientIp(value).ok,
        defaultMessage: (args?: ValidationArguments) => {
          const check = checkClientIp(args?.value);
          return `${args?.property ?? 'value'} ${check.ok ? 'must be a public IP address' : check.problem}`;
        },
      },
    });
  };
}
