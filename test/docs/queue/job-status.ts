import { type SmsQueue, type SmsQueueJob } from 'nestjs-sms/queue';

export async function jobStatus(smsQueue: SmsQueue, jobId: string): Promise<SmsQueueJob | null> {
  const job = await smsQueue.getJob(jobId);
  // null, or { jobId, state: 'waiting' | 'delayed' | 'active' | 'completed' | 'failed' | 'unknown',
  //   attempts, stalls, possibleDuplicate, result?: SendResult, error?: { code, outcome, failure, retryable, message },
  //   createdAt, finishedAt? }
  return job;
}
