/**
 * Leader election: replicas of one operator compete for a coordination.k8s.io/v1 Lease; only
 * the holder runs controllers, and it stops them the moment it cannot prove it still holds it.
 */
export { LeaderElectionLostError, LeaseElector, microTime, type LeaderElectionOptions } from './lease-elector.js';
