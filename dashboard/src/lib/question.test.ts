import { describe, expect, it } from 'vitest';
import {
  addOption,
  canAddOption,
  changeKind,
  emptyChoice,
  normalizeChoice,
  removeOption,
  setOptionText,
  toggleAnswer,
  validateChoice,
  type ChoiceDraft,
} from './question';

const filled = (n: number): ChoiceDraft => {
  let d = emptyChoice('SINGLE');
  while (d.options.length < n) d = addOption(d, 'SINGLE');
  while (d.options.length > n) d = removeOption(d, 'SINGLE', d.options.length - 1);
  d.options.forEach((_, i) => (d = setOptionText(d, i, `选项${i + 1}`)));
  return d;
};

describe('option keys', () => {
  it('starts a choice question with A–D and true/false with 正确/错误', () => {
    expect(emptyChoice('SINGLE').options.map((o) => o.key)).toEqual(['A', 'B', 'C', 'D']);
    expect(emptyChoice('MULTIPLE').options.map((o) => o.key)).toEqual(['A', 'B', 'C', 'D']);
    expect(emptyChoice('TRUE_FALSE').options).toEqual([
      { key: 'A', text: '正确' },
      { key: 'B', text: '错误' },
    ]);
  });

  it('assigns the next letter when adding, up to F', () => {
    let d = emptyChoice('SINGLE');
    d = addOption(d, 'SINGLE');
    d = addOption(d, 'SINGLE');
    expect(d.options.map((o) => o.key)).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
    expect(canAddOption(d, 'SINGLE')).toBe(false);
    expect(addOption(d, 'SINGLE')).toBe(d); // a 7th is refused
  });

  it('never goes below 2 options', () => {
    let d = filled(2);
    expect(removeOption(d, 'SINGLE', 0)).toBe(d);
    d = filled(3);
    expect(removeOption(d, 'SINGLE', 0).options).toHaveLength(2);
  });

  it('moves later options up a letter and the answer with them', () => {
    let d = filled(4); // A..D
    d = toggleAnswer(d, 'MULTIPLE', 'A');
    d = toggleAnswer(d, 'MULTIPLE', 'D');
    d = removeOption(d, 'MULTIPLE', 1); // remove B: C→B, D→C
    expect(d.options).toEqual([
      { key: 'A', text: '选项1' },
      { key: 'B', text: '选项3' },
      { key: 'C', text: '选项4' },
    ]);
    expect(d.answer).toEqual(['A', 'C']);
  });

  it('drops a removed correct option from the answer', () => {
    let d = toggleAnswer(filled(3), 'SINGLE', 'B');
    d = removeOption(d, 'SINGLE', 1);
    expect(d.answer).toEqual([]);
  });

  it('keeps the fixed pair of a true/false question', () => {
    const d = emptyChoice('TRUE_FALSE');
    expect(addOption(d, 'TRUE_FALSE')).toBe(d);
    expect(removeOption(d, 'TRUE_FALSE', 0)).toBe(d);
  });
});

describe('answer picker', () => {
  it('single choice and true/false have one key (radio)', () => {
    let d = toggleAnswer(filled(4), 'SINGLE', 'A');
    d = toggleAnswer(d, 'SINGLE', 'C');
    expect(d.answer).toEqual(['C']);
    let tf = toggleAnswer(emptyChoice('TRUE_FALSE'), 'TRUE_FALSE', 'B');
    tf = toggleAnswer(tf, 'TRUE_FALSE', 'A');
    expect(tf.answer).toEqual(['A']);
  });

  it('multiple choice toggles keys (checkboxes), kept in order', () => {
    let d = toggleAnswer(filled(4), 'MULTIPLE', 'D');
    d = toggleAnswer(d, 'MULTIPLE', 'A');
    d = toggleAnswer(d, 'MULTIPLE', 'B');
    expect(d.answer).toEqual(['A', 'B', 'D']);
    d = toggleAnswer(d, 'MULTIPLE', 'B', false);
    expect(d.answer).toEqual(['A', 'D']);
  });

  it('ignores keys that are not options', () => {
    const d = filled(2);
    expect(toggleAnswer(d, 'SINGLE', 'E')).toBe(d);
  });
});

describe('changing the kind', () => {
  it('to true/false replaces the options with 正确/错误', () => {
    const d = toggleAnswer(filled(4), 'SINGLE', 'B');
    const tf = changeKind(d, 'SINGLE', 'TRUE_FALSE');
    expect(tf.options.map((o) => o.text)).toEqual(['正确', '错误']);
    expect(tf.answer).toEqual(['B']); // B is still a key
    const fromD = changeKind(toggleAnswer(filled(4), 'SINGLE', 'D'), 'SINGLE', 'TRUE_FALSE');
    expect(fromD.answer).toEqual([]);
  });

  it('back from true/false restores the remembered options', () => {
    const before = filled(3);
    const tf = changeKind(before, 'SINGLE', 'TRUE_FALSE');
    const back = changeKind(tf, 'TRUE_FALSE', 'MULTIPLE', before.options);
    expect(back.options).toEqual(before.options);
    expect(back.answer).toEqual([]);
    expect(changeKind(tf, 'TRUE_FALSE', 'SINGLE').options).toHaveLength(4);
  });

  it('multiple → single keeps one key only', () => {
    const one = toggleAnswer(filled(4), 'MULTIPLE', 'C');
    expect(changeKind(one, 'MULTIPLE', 'SINGLE').answer).toEqual(['C']);
    const two = toggleAnswer(one, 'MULTIPLE', 'A');
    expect(changeKind(two, 'MULTIPLE', 'SINGLE').answer).toEqual([]);
  });
});

describe('validation mirrors the server (internal/bank.Validate)', () => {
  const codes = (d: ChoiceDraft, k: Parameters<typeof validateChoice>[1]) => validateChoice(d, k).map((p) => p.code);

  it('accepts a complete question', () => {
    expect(validateChoice(toggleAnswer(filled(4), 'SINGLE', 'A'), 'SINGLE')).toEqual([]);
    expect(validateChoice(toggleAnswer(toggleAnswer(filled(4), 'MULTIPLE', 'A'), 'MULTIPLE', 'C'), 'MULTIPLE')).toEqual([]);
    expect(validateChoice(toggleAnswer(emptyChoice('TRUE_FALSE'), 'TRUE_FALSE', 'B'), 'TRUE_FALSE')).toEqual([]);
  });

  it('requires option texts, unique and at most 200 characters', () => {
    const empty = toggleAnswer(emptyChoice('SINGLE'), 'SINGLE', 'A');
    expect(validateChoice(empty, 'SINGLE').filter((p) => p.code === 'optionEmpty').map((p) => p.index)).toEqual([0, 1, 2, 3]);
    let dup = setOptionText(filled(3), 2, '  选项1 ');
    dup = toggleAnswer(dup, 'SINGLE', 'A');
    expect(validateChoice(dup, 'SINGLE')).toEqual([{ field: 'options.2', code: 'optionDuplicate', index: 2 }]);
    const long = toggleAnswer(setOptionText(filled(2), 0, '长'.repeat(201)), 'SINGLE', 'B');
    expect(codes(long, 'SINGLE')).toEqual(['optionTooLong']);
    const justRight = toggleAnswer(setOptionText(filled(2), 0, '长'.repeat(200)), 'SINGLE', 'B');
    expect(codes(justRight, 'SINGLE')).toEqual([]);
  });

  it('needs 2 to 6 options, exactly 2 for true/false', () => {
    expect(codes({ options: [{ key: 'A', text: 'x' }], answer: ['A'] }, 'SINGLE')).toEqual(['optionsTooFew']);
    const seven = { options: 'ABCDEFG'.split('').map((k) => ({ key: k, text: k })), answer: ['A'] };
    expect(codes(seven, 'SINGLE')).toEqual(['optionsTooMany']);
    expect(codes({ options: filled(3).options, answer: ['A'] }, 'TRUE_FALSE')).toEqual(['trueFalseTwo']);
  });

  it('needs an answer; one key unless multiple choice', () => {
    expect(codes(filled(4), 'SINGLE')).toEqual(['answerEmpty']);
    expect(codes(filled(4), 'MULTIPLE')).toEqual(['answerEmpty']);
    const two = { ...filled(4), answer: ['A', 'B'] };
    expect(codes(two, 'SINGLE')).toEqual(['answerOne']);
    expect(codes(two, 'MULTIPLE')).toEqual([]);
    expect(codes({ ...filled(2), answer: ['Z'] }, 'SINGLE')).toEqual(['answerUnknown']);
  });

  it('normalises: trimmed texts, answer in option order', () => {
    const d: ChoiceDraft = {
      options: [
        { key: 'A', text: ' 甲 ' },
        { key: 'B', text: '乙' },
        { key: 'C', text: '丙\n' },
      ],
      answer: ['C', 'A'],
    };
    expect(normalizeChoice(d)).toEqual({
      options: [
        { key: 'A', text: '甲' },
        { key: 'B', text: '乙' },
        { key: 'C', text: '丙' },
      ],
      answer: ['A', 'C'],
    });
  });
});
