import { describe, expect, it } from 'vitest';
import { CombinedError } from '@urql/core';
import { GraphQLError } from 'graphql';
import { codeText, describeError, errorCodes, errorLine, hasCode, localizeMessage, primaryCode, splitField, ERROR_CODES } from './errors';

const gqlError = (message: string, code?: string) =>
  new CombinedError({ graphQLErrors: [new GraphQLError(message, { extensions: code ? { code } : {} })] });

describe('error codes', () => {
  it('have Chinese and English text for every SPEC §3 code', () => {
    for (const code of ERROR_CODES) {
      expect(codeText(code, 'zh')).toMatch(/[\u4e00-\u9fff]/);
      expect(codeText(code, 'en')).toMatch(/[a-z]/);
    }
    expect(codeText('UNAUTHENTICATED')).toBe('登录已失效，请重新登录');
    expect(codeText('FORBIDDEN')).toBe('没有权限执行此操作');
    expect(codeText('NOT_FOUND')).toBe('数据不存在或已被删除');
    expect(codeText('BAD_USER_INPUT')).toBe('输入有误，请检查后重试');
    expect(codeText('RATE_LIMITED')).toBe('操作过于频繁，请稍后再试');
    expect(codeText('SOMETHING_NEW')).toBe('操作失败');
  });

  it('are read from errors[].extensions.code', () => {
    const err = gqlError('invalid or expired token: sign in again', 'UNAUTHENTICATED');
    expect(errorCodes(err)).toEqual(['UNAUTHENTICATED']);
    expect(primaryCode(err)).toBe('UNAUTHENTICATED');
    expect(hasCode(err, 'UNAUTHENTICATED')).toBe(true);
    expect(hasCode(err, 'FORBIDDEN')).toBe(false);
    expect(primaryCode(undefined)).toBe('UNKNOWN');
  });

  it('call a failed request NETWORK', () => {
    const err = new CombinedError({ networkError: new Error('Failed to fetch') });
    expect(primaryCode(err)).toBe('NETWORK');
    expect(describeError(err)).toEqual({ code: 'NETWORK', title: '网络错误，无法连接服务器' });
  });
});

describe('server messages', () => {
  it('pick the language of a bilingual message', () => {
    expect(localizeMessage('stem: must not be empty (题干不能为空)', 'zh')).toBe('题干不能为空');
    expect(localizeMessage('stem: must not be empty (题干不能为空)', 'en')).toBe('must not be empty');
    expect(localizeMessage('wrong username or password (用户名或密码错误)', 'zh')).toBe('用户名或密码错误');
    expect(localizeMessage('question bank 3 not found', 'zh')).toBe('question bank 3 not found');
    expect(localizeMessage('options[1].text: "x" appears twice (选项内容重复)', 'zh')).toBe('选项内容重复');
    // parentheses without Chinese are part of the message
    expect(localizeMessage('poolSize: must be between 1 and 1000000 (got 0)', 'zh')).toBe('must be between 1 and 1000000 (got 0)');
  });

  it('name the field at fault', () => {
    expect(splitField('options[2].text: must not be empty')).toEqual({ field: 'options', index: 2, sub: 'text', rest: 'must not be empty' });
    expect(splitField('poolSize: must be between 1 and 1000000, got 0')).toMatchObject({ field: 'poolSize' });
    expect(splitField('internal error')).toEqual({ rest: 'internal error' });
  });

  it('describe an error for the UI', () => {
    expect(describeError(gqlError('stem: must not be empty (题干不能为空)', 'BAD_USER_INPUT'))).toEqual({
      code: 'BAD_USER_INPUT',
      title: '输入有误，请检查后重试',
      detail: '题干不能为空',
      field: 'stem',
      index: undefined,
    });
    // INTERNAL never shows the server's words
    expect(describeError(gqlError('internal error', 'INTERNAL'))).toEqual({ code: 'INTERNAL', title: '服务器内部错误，请稍后重试' });
    // an English-only detail is left out in Chinese, except on bad input
    expect(describeError(gqlError('question bank 3 not found', 'NOT_FOUND')).detail).toBeUndefined();
    expect(describeError(gqlError('question bank 3 not found', 'NOT_FOUND'), 'en').detail).toBe('question bank 3 not found');
  });

  it('make one line for a toast', () => {
    expect(errorLine(gqlError('stem: must not be empty (题干不能为空)', 'BAD_USER_INPUT'))).toBe('题干不能为空');
    expect(errorLine(gqlError('nope', 'FORBIDDEN'))).toBe('没有权限执行此操作');
    expect(errorLine(gqlError('too many attempts (尝试次数过多，请稍后再试)', 'RATE_LIMITED'))).toBe('操作过于频繁，请稍后再试：尝试次数过多，请稍后再试');
    expect(errorLine(gqlError('wrong username or password (用户名或密码错误)', 'UNAUTHENTICATED'), 'en')).toBe(
      'Your session has ended, please sign in again: wrong username or password',
    );
  });
});
