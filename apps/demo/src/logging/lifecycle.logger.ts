import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationShutdown,
} from '@nestjs/common';

/** Logs the graceful shutdown: when it starts (and on which signal) and when it is done. */
@Injectable()
export class LifecycleLogger implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Lifecycle');

  beforeApplicationShutdown(signal?: string): void {
    this.logger.log({ msg: 'shutting down: no new connections, finishing requests in flight', signal });
  }

  onApplicationShutdown(signal?: string): void {
    this.logger.log({ msg: 'stopped', signal });
  }
}
