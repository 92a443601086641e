// Generates known-fields.json: the field names of every kind in SCHEMA_KINDS, read with the TypeScript compiler
// API from the interfaces `kubernetes-models` and `@kubernetes-models/argo-cd` declare (generated upstream from the
// Kubernetes OpenAPI and the Argo CD CRDs, the same sources as their validators, which allow unknown fields).
// Run `npx tsx synth/src/render/known-fields-generate.ts` after upgrading either package; a test fails until then.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { FieldType, KnownFields } from './known-fields';
import { SCHEMA_KINDS } from './schema-kinds';

const HERE = dirname(fileURLToPath(import.meta.url));
/** Where the generated file lives. */
export const KNOWN_FIELDS_FILE = join(HERE, 'known-fields.json');

/** Reads the declared fields of every kind in SCHEMA_KINDS from the installed packages' type declarations. */
export function generateKnownFields(): KnownFields {
  const entry = join(HERE, '__known-fields-entry.ts');
  const keys = Object.keys(SCHEMA_KINDS).sort();
  const text = keys
    .map((key, i) => {
      const k = SCHEMA_KINDS[key] as { module: string; type: string };
      return `import type { ${k.type} as T${i} } from '${k.module}';\nexport type K${i} = T${i};`;
    })
    .join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, onError) =>
    name === entry ? ts.createSourceFile(name, text, version) : getSourceFile(name, version, onError);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === entry || fileExists(name);
  const program = ts.createProgram([entry], options, host);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  if (!source) throw new Error('known-fields: the entry file was not compiled');
  const missing = ts.getPreEmitDiagnostics(program, source);
  if (missing.length > 0) {
    throw new Error(`known-fields: ${ts.flattenDiagnosticMessageText(missing[0]?.messageText ?? '', ' ')}`);
  }

  const types: Record<string, Record<string, FieldType>> = {};
  const names = new Map<ts.Type, string>();
  const taken = new Set<string>();

  const nameOf = (t: ts.Type, path: string): string => {
    const symbol = t.aliasSymbol ?? t.getSymbol();
    let base = symbol && !symbol.name.startsWith('__') ? symbol.name : path;
    if (taken.has(base)) base = path;
    let name = base;
    for (let i = 2; taken.has(name); i++) name = `${base}~${i}`;
    taken.add(name);
    return name;
  };

  const describe = (type: ts.Type, path: string): FieldType => {
    let t = type;
    if (t.isUnion()) {
      const parts = t.types.filter((p) => !(p.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
      if (parts.length !== 1) return 0;
      t = parts[0] as ts.Type;
    }
    if (!(t.flags & ts.TypeFlags.Object)) return 0;
    if (checker.isArrayType(t)) {
      const element = checker.getTypeArguments(t as ts.TypeReference)[0];
      const d = element ? describe(element, `${path}[i]`) : 0;
      return d === 0 ? 0 : `${d}[]`;
    }
    const props = checker.getPropertiesOfType(t);
    const index = checker.getIndexInfoOfType(t, ts.IndexKind.String);
    if (props.length === 0) {
      if (!index) return 0;
      const d = describe(index.type, `${path}{k}`);
      return d === 0 ? 0 : `${d}{}`;
    }
    const known = names.get(t);
    if (known !== undefined) return known;
    const name = nameOf(t, path);
    names.set(t, name);
    const fields: Record<string, FieldType> = {};
    types[name] = fields;
    for (const p of props) fields[p.name] = describe(checker.getTypeOfSymbol(p), `${name}.${p.name}`);
    if (index) fields['*'] = 0;
    return name;
  };

  const kinds: Record<string, string> = {};
  const aliases = source.statements.filter(ts.isTypeAliasDeclaration);
  keys.forEach((key, i) => {
    const alias = aliases.find((a) => a.name.text === `K${i}`);
    if (!alias) throw new Error(`known-fields: no alias for ${key}`);
    const root = describe(checker.getTypeAtLocation(alias.name), key);
    if (typeof root !== 'string') throw new Error(`known-fields: ${key} declares no fields`);
    kinds[key] = root;
  });
  const sorted = Object.fromEntries(
    Object.keys(types)
      .sort()
      .map((k) => [
        k,
        Object.fromEntries(Object.entries(types[k] ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))),
      ]),
  );
  return { kinds, types: sorted };
}

/** The file content for `generateKnownFields()` (stable JSON, one trailing newline). */
export function knownFieldsJson(fields: KnownFields = generateKnownFields()): string {
  return `${JSON.stringify(fields, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(KNOWN_FIELDS_FILE, knownFieldsJson());
  process.stdout.write(`wrote ${KNOWN_FIELDS_FILE}\n`);
}
