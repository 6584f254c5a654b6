import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { type DeliveryStatus } from 'nestjs-sms';
import { type OutboxMessage, type SmsEncoding } from 'nestjs-sms/testing';

/** A message in the memory outbox, as `GET /outbox/messages` lists it. */
export class OutboxMessageResponse implements OutboxMessage {
  @ApiProperty({ example: 'dev-1' })
  id!: string;
  @ApiProperty({ example: 'dev' })
  provider!: string;
  @ApiProperty({ example: '79255070602' })
  to!: string;
  @ApiProperty()
  text!: string;
  @ApiPropertyOptional({ example: 'MyShop' })
  sender?: string;
  @ApiProperty({ example: 1 })
  segments!: number;
  @ApiProperty({ enum: ['GSM-7', 'UCS-2'] })
  encoding!: SmsEncoding;
  @ApiProperty({ example: 'delivered' })
  status!: DeliveryStatus;
  @ApiProperty({ type: 'string', format: 'date-time' })
  createdAt!: Date;
  @ApiPropertyOptional({ type: 'string', format: 'date-time' })
  sendAt?: Date;
  @ApiProperty()
  test!: boolean;
}
