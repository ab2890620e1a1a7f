import type { FieldKind } from './advancedFields.ts';

/** What the user typed, as the value the schema checks; undefined for an empty field (use the default). */
export function parseFieldText(kind: FieldKind, text: string, checked = false): unknown {
  const trimmed = text.trim();
  switch (kind) {
    case 'checkbox':
      return checked || undefined;
    case 'number':
      return trimmed === '' ? undefined : Number(trimmed);
    case 'list':
      return trimmed === '' ? undefined : trimmed.split(/[\s,]+/).filter(Boolean);
    case 'budget': {
      if (trimmed === '') return undefined;
      const parts = trimmed.split(/[\s,]+/).filter(Boolean).map(Number);
      return parts.length === 1 ? parts[0] : parts;
    }
    case 'select':
    case 'url':
      return trimmed === '' ? undefined : trimmed;
  }
}
