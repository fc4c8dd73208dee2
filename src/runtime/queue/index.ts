/**
 * The reconcile queue: keys (not objects) waiting to be reconciled, by priority, with
 * de-duplication, one-worker-per-key, delayed adds and per-key exponential backoff. Controllers own one each.
 */
export { LOW_PRIORITY, NORMAL_PRIORITY, WorkQueue, type WorkQueueHooks, type WorkQueueOptions } from './work-queue.js';
export {
  BucketRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  defaultControllerRateLimiter,
  type RateLimiter,
} from './rate-limiter.js';
