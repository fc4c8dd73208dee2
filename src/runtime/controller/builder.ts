/**
 * The builder wires a controller the way controller-runtime's does:
 *
 * ```ts
 * controllerFor(mgr, MicroServiceKind)
 *   .owns(Deployment)                               // a Deployment change reconciles its controller owner
 *   .watches(ConfigMap, (cm) => servicesUsing(cm))  // any map from object to requests
 *   .withEventFilter(predicates.generationChanged()) // applies to every watch
 *   .withOptions({ maxConcurrentReconciles: 4 })
 *   .complete(new MicroServiceReconciler(mgr.client));
 * ```
 */
import type { Logger } from '../log.js';
import type { Cache, KubeObject, ObjectKind, Reconciler, Runnable } from '../types.js';
import { Controller, type ControllerOptions } from './controller.js';
import {
  enqueueRequestForObject,
  enqueueRequestForOwner,
  enqueueRequestsFromMapFunc,
  type MapFunc,
} from './handlers.js';
import type { Predicate } from '../predicates/index.js';

/** What the builder needs from a manager. */
export interface ControllerHost {
  readonly cache: Cache;
  readonly logger: Logger;
  /** Options every controller of this host starts from (`withOptions` overrides them). */
  readonly controllerDefaults?: ControllerOptions;
  add(runnable: Runnable): void;
}

interface PendingWatch {
  kind: ObjectKind;
  map: MapFunc;
  predicates: Predicate[];
}

export class ControllerBuilder<T extends KubeObject> {
  private readonly sources: PendingWatch[] = [];
  private readonly globalPredicates: Predicate[] = [];
  private name: string;
  private options: ControllerOptions = {};
  private completed = false;

  constructor(
    private readonly host: ControllerHost,
    forKind: ObjectKind<T>,
    forPredicates: Predicate<T>[] = [],
  ) {
    this.name = forKind.kind.toLowerCase();
    this.sources.push({ kind: forKind, map: enqueueRequestForObject(), predicates: forPredicates as Predicate[] });
  }

  /** Reconcile the controlling owner (of the `for` kind) when an object of `kind` changes. */
  owns<O extends KubeObject>(kind: ObjectKind<O>, ...predicates: Predicate<O>[]): this {
    const forKind = this.sources[0].kind;
    this.sources.push({ kind, map: enqueueRequestForOwner(forKind), predicates: predicates as Predicate[] });
    return this;
  }

  /** Reconcile the requests `map` returns when an object of `kind` changes. */
  watches<O extends KubeObject>(kind: ObjectKind<O>, map: MapFunc<O>, ...predicates: Predicate<O>[]): this {
    this.sources.push({ kind, map: enqueueRequestsFromMapFunc(map) as MapFunc, predicates: predicates as Predicate[] });
    return this;
  }

  /** Filter every watch of this controller. */
  withEventFilter(predicate: Predicate): this {
    this.globalPredicates.push(predicate);
    return this;
  }

  /** The controller's name in logs and metrics (default: the lower-cased kind). */
  named(name: string): this {
    if (!/^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/i.test(name))
      throw new Error(`controller name "${name}" must be alphanumeric with '-', '_' or '.'`);
    this.name = name;
    return this;
  }

  withOptions(options: ControllerOptions): this {
    this.options = { ...this.options, ...options };
    return this;
  }

  /** Builds the controller and adds it to the manager; it starts with the manager (on the leader). */
  complete(reconciler: Reconciler): Controller {
    if (this.completed) throw new Error(`controller ${this.name}: complete() was already called`);
    this.completed = true;
    const options = { ...this.host.controllerDefaults, ...this.options };
    const controller = new Controller(this.name, reconciler, this.host.cache, this.host.logger, options);
    for (const w of this.sources) controller.watch(w.kind, w.map, [...this.globalPredicates, ...w.predicates]);
    this.host.add(controller);
    return controller;
  }
}

/** Starts building a controller that reconciles objects of `kind`. */
export function controllerFor<T extends KubeObject>(
  host: ControllerHost,
  kind: ObjectKind<T>,
  ...predicates: Predicate<T>[]
): ControllerBuilder<T> {
  return new ControllerBuilder(host, kind, predicates);
}
