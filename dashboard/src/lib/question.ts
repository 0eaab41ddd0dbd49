// The rules of a question's options and answer key, mirroring the server's
// internal/bank.Validate so most mistakes are caught before a round trip.
// The editor works on a Draft; keys A–F are assigned by position.

export type QuestionKind = 'SINGLE' | 'MULTIPLE' | 'TRUE_FALSE';

export interface OptionDraft {
  key: string;
  text: string;
}

export interface ChoiceDraft {
  options: OptionDraft[];
  /** option keys of the correct answer */
  answer: string[];
}

export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 6;
export const MAX_STEM = 1000;
export const MAX_OPTION_TEXT = 200;
export const MAX_EXPLANATION = 2000;
export const MAX_CATEGORY = 50;
export const MAX_BANK_NAME = 100;
export const OPTION_KEYS = ['A', 'B', 'C', 'D', 'E', 'F'] as const;

/** The fixed options of a true/false question, as the server stores them. */
export const TRUE_FALSE_OPTIONS: readonly OptionDraft[] = [
  { key: 'A', text: '正确' },
  { key: 'B', text: '错误' },
];

export const KINDS: QuestionKind[] = ['SINGLE', 'MULTIPLE', 'TRUE_FALSE'];

/** Keys by position: A, B, C… */
export function rekey(options: OptionDraft[]): OptionDraft[] {
  return options.map((o, i) => ({ ...o, key: OPTION_KEYS[i] ?? String.fromCharCode(65 + i) }));
}

/** A fresh draft for a kind: 4 empty options (A–D), or the fixed true/false pair. */
export function emptyChoice(kind: QuestionKind): ChoiceDraft {
  if (kind === 'TRUE_FALSE') return { options: TRUE_FALSE_OPTIONS.map((o) => ({ ...o })), answer: [] };
  return { options: rekey([{ key: '', text: '' }, { key: '', text: '' }, { key: '', text: '' }, { key: '', text: '' }]), answer: [] };
}

export function canAddOption(d: ChoiceDraft, kind: QuestionKind): boolean {
  return kind !== 'TRUE_FALSE' && d.options.length < MAX_OPTIONS;
}

export function canRemoveOption(d: ChoiceDraft, kind: QuestionKind): boolean {
  return kind !== 'TRUE_FALSE' && d.options.length > MIN_OPTIONS;
}

/** Appends an empty option with the next key (no-op at 6 or for true/false). */
export function addOption(d: ChoiceDraft, kind: QuestionKind): ChoiceDraft {
  if (!canAddOption(d, kind)) return d;
  return { ...d, options: rekey([...d.options, { key: '', text: '' }]) };
}

/**
 * Removes the option at index; the options after it move up a letter and
 * the answer key follows them (removing B of A,B,C with answer C gives
 * answer B). Removing a correct option drops it from the answer.
 */
export function removeOption(d: ChoiceDraft, kind: QuestionKind, index: number): ChoiceDraft {
  if (!canRemoveOption(d, kind) || index < 0 || index >= d.options.length) return d;
  const removedKey = d.options[index].key;
  const kept = d.options.filter((_, i) => i !== index);
  const rekeyed = rekey(kept);
  const rename = new Map(kept.map((o, i) => [o.key, rekeyed[i].key]));
  const answer = d.answer.filter((k) => k !== removedKey && rename.has(k)).map((k) => rename.get(k)!);
  return { options: rekeyed, answer: sortKeys(answer) };
}

export function setOptionText(d: ChoiceDraft, index: number, text: string): ChoiceDraft {
  return { ...d, options: d.options.map((o, i) => (i === index ? { ...o, text } : o)) };
}

/** Marks `key` correct: single and true/false replace the answer, multiple toggles it. */
export function toggleAnswer(d: ChoiceDraft, kind: QuestionKind, key: string, checked = true): ChoiceDraft {
  if (!d.options.some((o) => o.key === key)) return d;
  if (kind !== 'MULTIPLE') return { ...d, answer: checked ? [key] : d.answer.filter((k) => k !== key) };
  const set = new Set(d.answer);
  if (checked) set.add(key);
  else set.delete(key);
  return { ...d, answer: sortKeys([...set]) };
}

/**
 * Switches the kind keeping what still makes sense: to true/false the
 * fixed 正确/错误 pair (the answer kept only if it was A or B alone); from
 * true/false back to a choice kind, the remembered options (or 4 empty);
 * multiple → single keeps the answer only if it has exactly one key.
 */
export function changeKind(d: ChoiceDraft, from: QuestionKind, to: QuestionKind, remembered?: OptionDraft[]): ChoiceDraft {
  if (from === to) return d;
  if (to === 'TRUE_FALSE') {
    const answer = d.answer.length === 1 && (d.answer[0] === 'A' || d.answer[0] === 'B') && from !== 'MULTIPLE' ? d.answer : [];
    return { options: TRUE_FALSE_OPTIONS.map((o) => ({ ...o })), answer };
  }
  if (from === 'TRUE_FALSE') {
    const options = remembered && remembered.length >= MIN_OPTIONS ? rekey(remembered) : emptyChoice(to).options;
    return { options, answer: [] };
  }
  if (to === 'SINGLE' && d.answer.length > 1) return { ...d, answer: [] };
  return d;
}

export function sortKeys(keys: string[]): string[] {
  return [...keys].sort();
}

/** A problem with a draft: which part, and the message key for the i18n dictionary. */
export interface ChoiceProblem {
  /** "options" for the list, "options.N" for one option, "answer" */
  field: string;
  code:
    | 'optionsTooFew'
    | 'optionsTooMany'
    | 'trueFalseTwo'
    | 'optionEmpty'
    | 'optionTooLong'
    | 'optionDuplicate'
    | 'answerEmpty'
    | 'answerOne'
    | 'answerUnknown';
  index?: number;
}

const runes = (s: string) => [...s].length;

/** Validates options and answer as the server does; empty when valid. */
export function validateChoice(d: ChoiceDraft, kind: QuestionKind): ChoiceProblem[] {
  const problems: ChoiceProblem[] = [];
  if (kind === 'TRUE_FALSE' && d.options.length !== 2) problems.push({ field: 'options', code: 'trueFalseTwo' });
  else if (d.options.length < MIN_OPTIONS) problems.push({ field: 'options', code: 'optionsTooFew' });
  else if (d.options.length > MAX_OPTIONS) problems.push({ field: 'options', code: 'optionsTooMany' });
  const seen = new Set<string>();
  d.options.forEach((o, i) => {
    const text = o.text.trim();
    if (text === '') problems.push({ field: `options.${i}`, code: 'optionEmpty', index: i });
    else if (runes(text) > MAX_OPTION_TEXT) problems.push({ field: `options.${i}`, code: 'optionTooLong', index: i });
    else if (seen.has(text)) problems.push({ field: `options.${i}`, code: 'optionDuplicate', index: i });
    seen.add(text);
  });
  const keys = new Set(d.options.map((o) => o.key));
  const answer = new Set(d.answer);
  if (d.answer.some((k) => !keys.has(k))) problems.push({ field: 'answer', code: 'answerUnknown' });
  else if (answer.size === 0) problems.push({ field: 'answer', code: 'answerEmpty' });
  else if (kind !== 'MULTIPLE' && answer.size !== 1) problems.push({ field: 'answer', code: 'answerOne' });
  return problems;
}

/** Trimmed options and the answer in option order, ready for CreateQuestionInput. */
export function normalizeChoice(d: ChoiceDraft): ChoiceDraft {
  const options = d.options.map((o) => ({ key: o.key, text: o.text.trim() }));
  const answer = options.map((o) => o.key).filter((k) => d.answer.includes(k));
  return { options, answer };
}

/** Chinese labels of the kinds; the English ones live in the i18n dictionary. */
export const KIND_COLORS: Record<QuestionKind, string> = {
  SINGLE: 'blue',
  MULTIPLE: 'purple',
  TRUE_FALSE: 'cyan',
};
