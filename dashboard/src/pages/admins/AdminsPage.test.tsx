import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { mockClient, opName, renderWithProviders, testSession } from '../../test/utils';
import { answers } from '../../test/fixtures';
import AdminsPage from './AdminsPage';

describe('管理员', () => {
  it('asks before changing an account’s role', async () => {
    const client = mockClient((req) => {
      const name = opName(req);
      if (name === 'SetAdminRole') return { data: { setAdminRole: { __typename: 'Admin', id: 'a2', username: 'editor1', role: 'VIEWER', disabled: true, createdAt: new Date().toISOString() } } };
      return name && name in answers ? { data: answers[name] } : undefined;
    });
    renderWithProviders(<AdminsPage />, { client, session: testSession });
    const row = (await screen.findByText('editor1')).closest('tr') as HTMLElement;
    fireEvent.mouseDown(within(row).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('只读'));
    expect((await screen.findAllByText('将 editor1 的角色改为“只读”？')).length).toBeGreaterThan(0);
    expect(client.executeMutation).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: /确\s*定/ }));
    await waitFor(() => expect(client.executeMutation).toHaveBeenCalledTimes(1));
    expect((client.executeMutation.mock.calls[0][0] as { variables: unknown }).variables).toEqual({ id: 'a2', role: 'VIEWER' });
  });
});
