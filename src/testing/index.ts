/**
 * kubeforge/testing: helpers for users' tests — an in-memory fake client and a reconcile
 * context for calling reconcilers directly (additions to envtest tests, never replacements).
 */
export { newFakeClient, type FakeClient, type FakeClientOptions } from './fake-client.js';
export { interceptClient, type InterceptorFuncs } from './interceptor.js';
export type { ListType, ListTypeDeclaration } from './list-types.js';
export { testReconcileContext } from './reconcile-context.js';
export { testAdmissionContext } from './admission-context.js';
export { memoryTree, Tree, type ChangeAction, type FileChange } from './tree.js';
