import { UnknownValue, type GovernanceModel, type UnknownKind } from '../../../src/model';

/** One unknown value a rule read: where, and what kind of unknown it was. */
export interface UnknownRead {
  address: string;
  /** Attribute path, `rule[0].apply_server_side_encryption_by_default[0].sse_algorithm`. */
  path: string;
  kind: UnknownKind;
  expression?: string;
}

/**
 * Makes every resource of `model` record the unknown values read from its attributes (and its
 * provider `default_tags`): a rule that meets an unknown and still passes is visible in
 * `reads`, whether or not it reported "cannot verify". Reads by the engine before this call
 * (links, variants) are not recorded.
 */
export function trackUnknownReads(model: GovernanceModel): UnknownRead[] {
  const reads: UnknownRead[] = [];
  const record = (address: string, path: string, value: UnknownValue) => {
    if (!reads.some((r) => r.address === address && r.path === path))
      reads.push({ address, path, kind: value.kind, expression: value.expression });
  };
  for (const resource of model.resources) {
    const proxies = new WeakMap<object, object>();
    const wrap = <T extends object>(target: T, path: string): T => {
      const known = proxies.get(target);
      if (known) return known as T;
      const proxy = new Proxy(target, {
        get(object, key, receiver) {
          const value: unknown = Reflect.get(object, key, receiver);
          if (typeof key === 'symbol') return value;
          const at = Array.isArray(object) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
          if (value instanceof UnknownValue) record(resource.address, at, value);
          else if (value !== null && typeof value === 'object') return wrap(value, at);
          return value;
        },
      });
      proxies.set(target, proxy);
      return proxy;
    };
    resource.attributes = wrap(resource.attributes, '');
    const tags = resource.defaultTags;
    if (tags instanceof UnknownValue)
      Object.defineProperty(resource, 'defaultTags', {
        get: () => (record(resource.address, 'provider default_tags', tags), tags),
      });
    else if (tags) resource.defaultTags = wrap(tags, 'provider default_tags');
  }
  return reads;
}
