/**
 * The reconcile queue: keys (not objects) waiting to be reconciled, with de-duplication,
 * one-worker-per-key, delayed adds and per-key exponential backoff. Controllers own one each.
 */
export { WorkQueue, type WorkQueueHooks, type WorkQueueOptions } from './work-queue.js';
export {
  BucketRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  defaultControllerRateLimiter,
  type RateLimiter,
} from './rate-limiter.js';
