import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderWithProviders, testSession } from '../../test/utils';
import { ImportModal } from './ImportModal';

const upload = vi.hoisted(() => vi.fn());
vi.mock('../../lib/upload', () => ({ uploadOperation: upload }));

describe('ImportModal', () => {
  it('dry-runs, shows the report, then imports for real', async () => {
    upload
      .mockResolvedValueOnce({
        data: { importQuestions: { imported: 0, valid: 2, dryRun: true, errors: [{ row: 4, column: '答案', message: '答案X不在选项中 (answer "X" is not one of the options)' }] } },
      })
      .mockResolvedValueOnce({ data: { importQuestions: { imported: 0, valid: 3, dryRun: true, errors: [] } } })
      .mockResolvedValueOnce({ data: { importQuestions: { imported: 3, valid: 3, dryRun: false, errors: [] } } });
    const onImported = vi.fn();
    renderWithProviders(<ImportModal open bankID="b1" bankName="示例题库" onClose={() => {}} onImported={onImported} />, { session: testSession });

    expect(await screen.findByText('导入题目到“示例题库”')).toBeInTheDocument();
    expect(screen.getByText('下载 Excel 模板').closest('a')).toHaveAttribute('href', '/api/templates/questions?format=xlsx');
    const input = document.querySelector('input[type=file]') as HTMLInputElement;
    fireEvent.change(input, { target: { files: [new File(['x'], 'q.csv', { type: 'text/csv' })] } });
    await waitFor(() => expect(screen.getByTestId('import-check')).toBeEnabled());
    expect(screen.getByTestId('import-confirm')).toBeDisabled();

    fireEvent.click(screen.getByTestId('import-check'));
    expect(await screen.findByText('第 4 行')).toBeInTheDocument();
    expect(screen.getByText('答案X不在选项中')).toBeInTheDocument();
    expect(screen.getByTestId('import-confirm')).toBeDisabled();
    expect(upload.mock.calls[0][1]).toEqual({ bankID: 'b1', dryRun: true });

    fireEvent.click(screen.getByTestId('import-check'));
    expect(await screen.findByText('检查通过：3 道题可以导入。')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('import-confirm'));
    await waitFor(() => expect(onImported).toHaveBeenCalledWith(3));
    expect(upload.mock.calls[2][1]).toEqual({ bankID: 'b1', dryRun: false });
  });
});
