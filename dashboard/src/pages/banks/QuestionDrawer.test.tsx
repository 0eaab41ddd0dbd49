import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { CombinedError } from '@urql/core';
import { GraphQLError } from 'graphql';
import { QuestionDrawer, formFieldOfServerError } from './QuestionDrawer';
import { mockClient, opName, renderWithProviders, testSession } from '../../test/utils';

const saved = {
  __typename: 'Question',
  id: 'q1',
  kind: 'SINGLE',
  stem: '职工医保的缴费由谁承担？',
  options: [
    { key: 'A', text: '单位和个人共同' },
    { key: 'B', text: '只有个人' },
  ],
  answer: ['A'],
  explanation: null,
  category: '参保缴费',
  enabled: true,
  version: 1,
  createdAt: '2026-09-01T00:00:00Z',
  updatedAt: '2026-09-01T00:00:00Z',
};

function open(client = mockClient(), onSaved = vi.fn()) {
  renderWithProviders(
    <QuestionDrawer open bankID="bank1" categories={['参保缴费', '异地就医']} onClose={() => {}} onSaved={onSaved} />,
    { client, session: testSession },
  );
  return { client, onSaved };
}

const submit = () => fireEvent.click(screen.getByTestId('question-submit'));

describe('QuestionDrawer', () => {
  it('checks the form on the client before calling the server', async () => {
    const { client } = open();
    submit();
    expect(await screen.findByText('请输入题干')).toBeInTheDocument();
    expect(await screen.findByText('选项 A 的内容不能为空')).toBeInTheDocument();
    expect(client.executeMutation).not.toHaveBeenCalled();
  });

  it('creates a question with trimmed texts and the answer in option order', async () => {
    const client = mockClient((req) => (opName(req) === 'CreateQuestion' ? { data: { createQuestion: saved } } : undefined));
    const { onSaved } = open(client);
    fireEvent.change(screen.getByPlaceholderText('请输入题目内容'), { target: { value: '  职工医保的缴费由谁承担？ ' } });
    fireEvent.click(screen.getByRole('button', { name: '删除选项 D' }));
    fireEvent.click(screen.getByRole('button', { name: '删除选项 C' }));
    fireEvent.change(screen.getByLabelText('选项 A 的内容'), { target: { value: ' 单位和个人共同 ' } });
    fireEvent.change(screen.getByLabelText('选项 B 的内容'), { target: { value: '只有个人' } });
    fireEvent.click(screen.getByLabelText('正确答案 A'));
    submit();
    await waitFor(() => expect(client.executeMutation).toHaveBeenCalled());
    const op = client.executeMutation.mock.calls[0][0] as { variables: unknown };
    expect(op.variables).toEqual({
      input: {
        bankID: 'bank1',
        kind: 'SINGLE',
        stem: '职工医保的缴费由谁承担？',
        options: [
          { key: 'A', text: '单位和个人共同' },
          { key: 'B', text: '只有个人' },
        ],
        answer: ['A'],
        explanation: null,
        category: null,
        enabled: true,
      },
    });
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
  });

  it('sends the fixed options for a true/false question', async () => {
    const client = mockClient((req) => (opName(req) === 'CreateQuestion' ? { data: { createQuestion: saved } } : undefined));
    open(client);
    fireEvent.click(screen.getByText('判断'));
    fireEvent.change(screen.getByPlaceholderText('请输入题目内容'), { target: { value: '异地就医须备案。' } });
    fireEvent.click(screen.getByLabelText('正确答案 B'));
    submit();
    await waitFor(() => expect(client.executeMutation).toHaveBeenCalled());
    const input = (client.executeMutation.mock.calls[0][0] as { variables: { input: Record<string, unknown> } }).variables.input;
    expect(input.kind).toBe('TRUE_FALSE');
    expect(input.options).toEqual([
      { key: 'A', text: '正确' },
      { key: 'B', text: '错误' },
    ]);
    expect(input.answer).toEqual(['B']);
  });

  it('shows the server’s BAD_USER_INPUT message on the form', async () => {
    const client = mockClient((req) =>
      opName(req) === 'CreateQuestion'
        ? {
            error: new CombinedError({
              graphQLErrors: [new GraphQLError('stem: at most 1000 characters (题干最多1000字)', { extensions: { code: 'BAD_USER_INPUT' } })],
            }),
          }
        : undefined,
    );
    open(client);
    fireEvent.change(screen.getByPlaceholderText('请输入题目内容'), { target: { value: '题干' } });
    fireEvent.click(screen.getByText('判断'));
    fireEvent.click(screen.getByLabelText('正确答案 A'));
    submit();
    expect(await screen.findByText('服务器未接受此表单')).toBeInTheDocument();
    expect((await screen.findAllByText('题干最多1000字')).length).toBeGreaterThanOrEqual(1);
  });

  it('maps server fields to form fields', () => {
    expect(formFieldOfServerError('stem')).toBe('stem');
    expect(formFieldOfServerError('options')).toBe('choice');
    expect(formFieldOfServerError('answer')).toBe('choice');
    expect(formFieldOfServerError('category')).toBe('category');
    expect(formFieldOfServerError('bankID')).toBeUndefined();
  });
});
