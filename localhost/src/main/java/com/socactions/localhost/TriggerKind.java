package com.socactions.localhost;

/**
 * The triggers the local host can drive. Functions with any other trigger are skipped at scan time.
 */
public enum TriggerKind {
  /** {@code @HttpTrigger}: served by the embedded HTTP server under {@code /api/}. */
  HTTP,
  /** {@code @TimerTrigger}: run on its NCRONTAB schedule by the timer runner. */
  TIMER,
  /** {@code @QueueTrigger}: run for each message of its Azure Storage queue by the queue runner. */
  QUEUE
}
