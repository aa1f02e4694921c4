/** YAML front matter (`---` … `---` at the top of a markdown file) split off into metadata. */
import { parse as parseYaml } from 'yaml';
import type { JsonObject, JsonValue } from '../../../core/json.ts';

export interface FrontMatterSplit {
  /** The text after the front matter (the whole text when there is none or it is invalid). */
  body: string;
  data: JsonObject;
  /** Set when a front-matter block was found but could not be used. */
  warning?: string;
}

const OPENING = /^---[ \t]*\n/;
const CLOSING = /^(?:---|\.\.\.)[ \t]*$/m;

/** Splits YAML front matter from markdown text; invalid YAML is left in the text with a warning. */
export function splitFrontMatter(text: string): FrontMatterSplit {
  const opening = OPENING.exec(text);
  if (!opening) return { body: text, data: {} };
  const rest = text.slice(opening[0].length);
  const closing = CLOSING.exec(rest);
  if (!closing) return { body: text, data: {} };
  const yamlText = rest.slice(0, closing.index);
  const bodyStart = opening[0].length + closing.index + closing[0].length;
  const body = text.slice(bodyStart).replace(/^\n/, '');
  let parsed: unknown;
  try {
    parsed = parseYaml(yamlText);
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return { body: text, data: {}, warning: `front matter is not valid YAML (${reason}); kept it as text` };
  }
  if (parsed === null || parsed === undefined) return { body, data: {} };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { body: text, data: {}, warning: 'front matter is not a YAML mapping; kept it as text' };
  }
  return { body, data: toJsonObject(parsed as Record<string, unknown>) };
}

/** YAML can hold dates and other non-JSON values; a JSON round trip makes them plain (dates → ISO strings). */
function toJsonObject(value: Record<string, unknown>): JsonObject {
  const json = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return JSON.parse(json) as { [key: string]: JsonValue };
}
