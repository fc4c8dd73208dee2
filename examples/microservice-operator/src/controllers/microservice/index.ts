/*
Copyright 2026 The microservice-operator Authors.

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
*/

/**
 * The parts of the MicroService controller (the reconciler itself is ../microservice.controller.ts):
 * what the children should look like (children), how they are applied and removed with events
 * (owned-children), how rollouts are numbered and rolled back (revisions), and how status mirrors
 * the Deployment (status).
 */
export * from './children.js';
export { OwnedChildren } from './owned-children.js';
export * from './revisions.js';
export * from './status.js';
