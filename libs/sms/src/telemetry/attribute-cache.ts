/** Attributes of a measurement (the API's `Attributes`, without depending on its types). */
export type SmsAttributes = Readonly<Record<string, AttributeValue>>;
type AttributeValue = string | number | boolean;

interface Node {
  next?: Map<AttributeValue | undefined, Node>;
  attributes?: SmsAttributes;
}

/**
 * Attribute objects built once per combination of values and reused by every measurement: the values
 * are configuration (provider names) or closed sets (results, error codes, statuses), so the cache
 * stays small. A value left `undefined` leaves its key out.
 */
export class AttributeCache {
  private readonly root: Node = {};

  constructor(private readonly keys: readonly string[]) {}

  get(a: AttributeValue, b?: AttributeValue, c?: AttributeValue): SmsAttributes {
    const node = child(child(child(this.root, a), b), c);
    if (node.attributes) return node.attributes;
    const attributes: Record<string, AttributeValue> = {};
    const values = [a, b, c];
    this.keys.forEach((key, i) => {
      if (values[i] !== undefined) attributes[key] = values[i];
    });
    node.attributes = Object.freeze(attributes);
    return node.attributes;
  }
}

function child(node: Node, value: AttributeValue | undefined): Node {
  node.next ??= new Map();
  let found = node.next.get(value);
  if (!found) {
    found = {};
    node.next.set(value, found);
  }
  return found;
}
