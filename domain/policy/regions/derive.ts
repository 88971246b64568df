import { BUILD_ON_FIRST_USE, once, standIn } from '../../lazy';
import { type Policy, type PolicyInput, PolicySchema } from '../schema';
import { shippedPolicies } from '../shipped';

/**
 * How a regional policy is written: the national base plus what the region's plan says differently.
 * Objects merge key by key; arrays, nulls and values replace. A default of the base (see
 * Policy.defaults) is dropped once the region overrides that setting from its own seed.
 */

export type Overrides<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: Overrides<T[K]> }
    : T;

export type RegionalOverrides = Overrides<Omit<PolicyInput, 'basedOn'>> &
  Pick<PolicyInput, 'id' | 'version' | 'region' | 'name' | 'nameZh' | 'sources'>;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function merge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v);
  return out;
}

/** Dotted paths of every value an override sets (arrays and nulls are values). */
function leafPaths(over: unknown, prefix = ''): string[] {
  if (!isPlainObject(over)) return [prefix];
  return Object.entries(over).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}

const related = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

/** Parse, validate and freeze a policy; throws at module load when the data is wrong. */
export function definePolicy(input: PolicyInput): Policy {
  const parsed = PolicySchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`policy ${input.version} is invalid: ${issues}`);
  }
  return deepFreeze(parsed.data);
}

/** What finds a shipped policy (domain/policy/index.ts policyFor, policyById) without building it. */
export interface PolicyKey {
  id: string;
  version: string;
  region: string;
}

const KEYS = new WeakMap<Policy, PolicyKey>();

/**
 * The shipped policies as built (parsed, defaults filled), by version: domain/policy/shipped.ts,
 * written by `npx tsx scripts/shipped-policies.ts`. Inside a workflow a case reads its policy from
 * here instead of building it (domain/lazy.ts: every workflow runs the bundle's module code again,
 * and building the policy schema and validating a policy cost each case more than the rest of its
 * module code). Made on first use, so a workflow that reads no policy does not make them.
 */
const shippedData = once(shippedPolicies);

/** Set (globalThis) only by scripts/shipped-policies.ts while it rewrites shipped.ts from the regions. */
const WRITING_SHIPPED = 'EXITFLOW_WRITING_SHIPPED_POLICIES';

/**
 * A shipped policy: `build` (given its key, which it spreads first) parses, validates and freezes it.
 * Outside a workflow that happens now, so a wrong policy fails at import as before, and the result
 * must be exactly what domain/policy/shipped.ts holds for its version, or the import fails too (the
 * workflows would read another policy than the API). Inside a workflow the policy is read from
 * shipped.ts, deep-frozen, when first used; nothing is built or validated there.
 */
export function shippedPolicy(key: PolicyKey, build: (key: PolicyKey) => Policy): Policy {
  const policy = BUILD_ON_FIRST_USE ? standIn(() => deepFreeze(shippedEntry(key) as Policy)) : checkedAgainstShipped(key, build(key));
  KEYS.set(policy, Object.freeze({ ...key }));
  return policy;
}

function sameKey(key: PolicyKey, p: { id?: unknown; version?: unknown; region?: unknown }): boolean {
  return p.id === key.id && p.version === key.version && p.region === key.region;
}

function shippedEntry(key: PolicyKey): unknown {
  const entry = shippedData()[key.version] as { id?: unknown; version?: unknown; region?: unknown } | undefined;
  if (!entry || !sameKey(key, entry)) throw new Error(`domain/policy/shipped.ts has no policy ${key.version} of ${key.id} for region '${key.region}'`);
  return entry;
}

function checkedAgainstShipped(key: PolicyKey, built: Policy): Policy {
  if (!sameKey(key, built)) throw new Error(`policy ${key.version}: built as ${built.id} ${built.version} for region '${built.region}'`);
  if ((globalThis as Record<string, unknown>)[WRITING_SHIPPED] === true) return built;
  const shipped = shippedData()[key.version];
  if (JSON.stringify(shipped) !== JSON.stringify(built)) {
    throw new Error(`domain/policy/shipped.ts does not hold policy ${key.version} as domain/policy/regions builds it (the workflows read it from there): run npx tsx scripts/shipped-policies.ts`);
  }
  return built;
}

/** The key of a shipped policy (shippedPolicy), read without building it; undefined for any other policy. */
export function shippedKey(policy: Policy): PolicyKey | undefined {
  return KEYS.get(policy);
}

export function deriveRegionalPolicy(base: Policy, overrides: RegionalOverrides): Policy {
  const { defaults: ownDefaults = [], ...rest } = overrides;
  const overridden = leafPaths(rest);
  const inherited = base.defaults.filter((d) => !overridden.some((p) => related(p, d.path)));
  const merged = merge(base, { ...rest, basedOn: base.version }) as PolicyInput;
  return definePolicy({ ...merged, defaults: [...inherited, ...ownDefaults] });
}

type ListRule = Policy['publicLists'][number];

const union = <T>(a: readonly T[], b: readonly T[]): T[] => [...new Set([...a, ...b])];

/**
 * A region's public lists on top of the base's: the national duty to publish (30号文 (二十一)) binds
 * every region whose plan applies it, so a plan adds lists and publishers, it does not drop them.
 * Lists of the same kind merge: the publishing departments and the shown fields are the union.
 */
export function withRegionalLists(base: readonly ListRule[], own: readonly ListRule[]): ListRule[] {
  const merged = base.map((b) => {
    const o = own.find((l) => l.kind === b.kind);
    return o ? { kind: b.kind, publishedBy: union(b.publishedBy, o.publishedBy), shows: union(b.shows, o.shows) } : { ...b };
  });
  return [...merged, ...own.filter((o) => !base.some((b) => b.kind === o.kind))];
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
