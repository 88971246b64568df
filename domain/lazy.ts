import { inWorkflowContext } from '@temporalio/workflow';

/**
 * The domain's zod schemas and region policies, built when first used inside a workflow (issue 16).
 *
 * With the SDK's reused V8 context every workflow runs the bundle's module code again (each has its
 * own module cache): building every schema and validating every region's policy at import cost each
 * new or replayed case several milliseconds, though a case validates a few inputs and reads one
 * policy. Inside a workflow, `lazy` therefore hands out a stand-in that builds the value on first
 * use (memoised for that workflow's module instance) and from then on forwards everything to it;
 * module code stays deterministic, and what is built is the same value as before, so validation
 * answers the same (field, rule, English and Chinese) and the policies are the same data.
 *
 * Outside a workflow (the API, activities, tests, scripts) nothing changes: `lazy` builds at import,
 * so a wrong policy still fails at start and each schema is the one object it always was (zod's
 * registry and the OpenAPI document key on that object).
 *
 * bench/module-init.ts measures what the module code costs a workflow.
 */
export const BUILD_ON_FIRST_USE: boolean = inWorkflowContext();

/** A memoised builder: `build` runs once, on the first call. */
export function once<T>(build: () => T): () => T {
  let built = false;
  let value: T;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value;
  };
}

/**
 * `build()` now outside a workflow; inside one, a stand-in that builds it on first use. For objects
 * whose users read properties and call methods (zod schemas, frozen policy data); a property is
 * read on the built value with the built value as the receiver, so zod's per-instance members bind
 * to the schema itself.
 */
export function lazy<T extends object>(build: () => T): T {
  return BUILD_ON_FIRST_USE ? standIn(build) : build();
}

/** The stand-in `lazy` hands out inside a workflow: builds on first use, then forwards to the value. */
export function standIn<T extends object>(build: () => T): T {
  const value = once(build);
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(value(), key, value()),
    set: (_, key, v) => Reflect.set(value(), key, v, value()),
    has: (_, key) => Reflect.has(value(), key),
    ownKeys: () => Reflect.ownKeys(value()),
    // The stand-in's own target is an empty, extensible object: a property of the (frozen) value is
    // reported configurable, as the proxy invariants require of a property the target lacks.
    getOwnPropertyDescriptor: (_, key) => {
      const d = Reflect.getOwnPropertyDescriptor(value(), key);
      return d && { ...d, configurable: true };
    },
    defineProperty: (_, key, d) => Reflect.defineProperty(value(), key, d),
    deleteProperty: (_, key) => Reflect.deleteProperty(value(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(value()),
  });
}
