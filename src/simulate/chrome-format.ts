// Formats console arguments the way Chrome DevTools "Save as…" writes them (docs/log-formats.md §1):
// printf-style substitutions, `%c` dropped with its CSS argument, objects as one-line previews
// (`{sequence: 'Library Load', beat: 1, …}`), errors as their stack.

/** Chrome previews show at most this many object properties before `…`. */
const MAX_PREVIEW_PROPERTIES = 5;
/** And at most this many array items in a top-level array preview. */
const MAX_PREVIEW_ITEMS = 100;
/** Strings inside previews are cut to this many characters. */
const MAX_PREVIEW_STRING = 100;

export function formatConsoleArgs(args: readonly unknown[]): string {
  if (args.length === 0) return '';
  const rest = [...args];
  const parts: string[] = [];
  const first = rest[0];
  if (typeof first === 'string' && first.includes('%')) {
    rest.shift();
    parts.push(substitute(first, rest));
  }
  for (const arg of rest) parts.push(formatTopLevel(arg));
  return parts.filter((p, i) => p !== '' || i === 0).join(' ');
}

function substitute(format: string, rest: unknown[]): string {
  return format.replace(/%([csdifoO%])/g, (token, spec: string) => {
    if (spec === '%') return '%';
    if (rest.length === 0) return token;
    const arg = rest.shift();
    switch (spec) {
      case 'c':
        return '';
      case 's':
        return typeof arg === 'string' ? arg : formatTopLevel(arg);
      case 'd':
      case 'i':
        return String(Number.parseInt(String(arg), 10));
      case 'f':
        return String(Number(arg));
      default:
        return formatTopLevel(arg);
    }
  });
}

function formatTopLevel(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  if (Array.isArray(value)) return `(${value.length}) [${previewItems(value, MAX_PREVIEW_ITEMS)}]`;
  if (value !== null && typeof value === 'object') return previewObject(value as Record<string, unknown>);
  return formatPrimitive(value);
}

function previewObject(obj: Record<string, unknown>): string {
  const keys = Object.keys(obj);
  const shown = keys.slice(0, MAX_PREVIEW_PROPERTIES).map((k) => `${formatKey(k)}: ${previewNested(obj[k])}`);
  if (keys.length > MAX_PREVIEW_PROPERTIES) shown.push('…');
  const prefix = constructorPrefix(obj);
  return `${prefix}{${shown.join(', ')}}`;
}

function previewItems(items: readonly unknown[], max: number): string {
  const shown = items.slice(0, max).map(previewNested);
  if (items.length > max) shown.push('…');
  return shown.join(', ');
}

/** Values one level down are abbreviated: objects `{…}`, arrays `Array(n)`. */
function previewNested(value: unknown): string {
  if (typeof value === 'string') {
    const cut = value.length > MAX_PREVIEW_STRING ? `${value.slice(0, MAX_PREVIEW_STRING)}…` : value;
    return `'${cut}'`;
  }
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (Array.isArray(value)) return `Array(${value.length})`;
  if (value !== null && typeof value === 'object') return `${constructorPrefix(value)}{…}`;
  return formatPrimitive(value);
}

function formatPrimitive(value: unknown): string {
  if (typeof value === 'function') return `ƒ ${value.name || 'anonymous'}()`;
  if (typeof value === 'bigint') return `${value}n`;
  return String(value);
}

function formatKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : `'${key}'`;
}

function constructorPrefix(value: object): string {
  const name = Object.getPrototypeOf(value)?.constructor?.name;
  return name && name !== 'Object' ? `${name} ` : '';
}
