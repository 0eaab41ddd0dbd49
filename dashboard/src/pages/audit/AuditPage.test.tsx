import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { mockClient, opName, renderWithProviders, testSession } from '../../test/utils';
import { answers } from '../../test/fixtures';
import AuditPage from './AuditPage';

describe('审计日志 filters', () => {
  it('sends action, actor and subject as contains-filters', async () => {
    const client = mockClient((req) => {
      const name = opName(req);
      return name && name in answers ? { data: answers[name] } : undefined;
    });
    renderWithProviders(<AuditPage />, { client, session: testSession });
    await screen.findByText('Period:1');
    fireEvent.change(screen.getByPlaceholderText('对象，如 Period:123'), { target: { value: 'Period:34' } });
    fireEvent.change(screen.getByPlaceholderText('操作人'), { target: { value: 'admin' } });
    fireEvent.click(screen.getByRole('button', { name: /搜\s*索/ }));
    await waitFor(() => {
      const wheres = client.executeQuery.mock.calls.map((c) => (c[0] as { variables: { where?: Record<string, string> } }).variables.where);
      expect(wheres).toContainEqual({ subjectContainsFold: 'Period:34', actorContainsFold: 'admin' });
    });
    expect(screen.getByText(/时间按 Asia\/Shanghai 显示和筛选/)).toBeInTheDocument();
  });
});
