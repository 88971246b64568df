import { z } from 'zod';

/**
 * Free text that people type (reasons, findings, names, references), as one rule for every field.
 *
 * Refused, with the field and the rule named:
 * - control characters (U+0000–U+001F, U+007F–U+009F): PostgreSQL refuses U+0000 in text and
 *   jsonb, so one would stop the step that stores it; the others have no place in a legal record.
 *   A multi-line field keeps line breaks and tabs.
 * - bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069): they make a published
 *   name read differently from what is stored ("Trojan Source"); nothing in Chinese or Latin text
 *   needs them.
 *
 * Pure zod and self-contained, so workflow code (domain/inputs.ts) can import it.
 */

/** The characters a field may never hold. Exported for tests that generate bad input. */
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_EXCEPT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
export const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/;

export interface TextRule {
  /** After trimming; 0 allows an empty string. */
  min?: number;
  max: number;
  /** Keeps line breaks (\n, \r) and tabs: reasons, findings, opinions. */
  multiline?: boolean;
}

function checkCharacters(multiline: boolean) {
  const control = multiline ? CONTROL_EXCEPT_LINE_BREAKS : CONTROL_CHARACTERS;
  return (s: string, ctx: z.RefinementCtx<string>) => {
    if (control.test(s)) {
      ctx.addIssue({
        code: 'custom',
        message: multiline ? 'must not contain control characters (line breaks are allowed)' : 'must not contain control characters or line breaks',
        params: { rule: 'no_control_characters', zh: multiline ? '不得包含控制字符（可换行）' : '不得包含控制字符或换行' },
      });
    }
    if (BIDI_CONTROLS.test(s)) {
      ctx.addIssue({
        code: 'custom',
        message: 'must not contain bidirectional override characters (U+202A–U+202E, U+2066–U+2069)',
        params: { rule: 'no_bidi_override', zh: '不得包含双向文本控制字符' },
      });
    }
  };
}

/** The character rules alone, for strings with a shape of their own (URLs). */
export const noControlOrBidi = checkCharacters(false);

/** A trimmed string of `min`–`max` characters that a person typed. */
export function text({ min = 1, max, multiline = false }: TextRule) {
  return z.string().trim().min(min).max(max).superRefine(checkCharacters(multiline));
}

/** An identifier-like string taken as given (not trimmed): the same character rules, no length floor beyond 1. */
export function label(max: number) {
  return z.string().min(1).max(max).superRefine(checkCharacters(false));
}
