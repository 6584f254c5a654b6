import { Module } from '@nestjs/common';
import { DeliveryReportLogger } from './delivery-report.logger';

/** The delivery-report handler, imported by `SmsModule.forRootAsync` to build `onDeliveryReport`. */
@Module({
  providers: [DeliveryReportLogger],
  exports: [DeliveryReportLogger],
})
export class DeliveryReportsModule {}
