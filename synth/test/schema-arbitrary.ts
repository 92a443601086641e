import fc from 'fast-check';
import { environmentJsonSchema } from '../src/config/schema';

/** The parts of JSON Schema that `z.toJSONSchema` writes for the environment file schema. */
interface JsonSchema {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly enum?: readonly unknown[];
  readonly anyOf?: readonly JsonSchema[];
  readonly pattern?: string;
  readonly format?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
}

/** Values that satisfy a JSON Schema (as far as JSON Schema can say: refinements in code are not in it). */
export function arbitraryOf(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map(arbitraryOf));
  switch (schema.type) {
    case 'object': {
      const props = schema.properties ?? {};
      const shape = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, arbitraryOf(v)]));
      return fc.record(shape, { requiredKeys: [...(schema.required ?? [])] });
    }
    case 'array':
      return fc.array(schema.items ? arbitraryOf(schema.items) : fc.jsonValue(), { maxLength: 3 });
    case 'string':
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
      if (schema.format === 'uri') return fc.webUrl();
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: 20 });
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -5, max: Math.min(schema.maximum ?? 20, 20) });
    case 'number':
      return fc.double({ min: schema.minimum ?? -5, max: schema.maximum ?? 20, noNaN: true });
    case 'boolean':
      return fc.boolean();
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Environment file data generated from the zod schema (through its JSON Schema). */
export function environmentData(): fc.Arbitrary<Record<string, unknown>> {
  return arbitraryOf(environmentJsonSchema() as JsonSchema) as fc.Arbitrary<Record<string, unknown>>;
}
