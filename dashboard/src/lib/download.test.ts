import { describe, expect, it, vi } from 'vitest';
import { bankExportURL, downloadFile, DownloadError, filenameFromDisposition, winnersExportURL } from './download';
import { multipartBody, uploadOperation } from './upload';

describe('downloads', () => {
  it('reads file names from Content-Disposition', () => {
    expect(filenameFromDisposition("attachment; filename*=UTF-8''questions-1-%E7%A4%BA%E4%BE%8B.xlsx")).toBe('questions-1-示例.xlsx');
    expect(filenameFromDisposition('attachment; filename="winners.csv"')).toBe('winners.csv');
    expect(filenameFromDisposition(null)).toBeUndefined();
  });

  it('builds export URLs', () => {
    expect(bankExportURL('42', 'xlsx')).toBe('/api/export/banks/42/questions?format=xlsx');
    expect(winnersExportURL('7', 'csv')).toBe('/api/export/periods/7/winners?format=csv');
  });

  it('sends the bearer token and saves the blob', async () => {
    const fetchImpl = vi.fn(async () => new Response('a,b', { headers: { 'content-disposition': 'attachment; filename="x.csv"' } }));
    URL.createObjectURL = vi.fn(() => 'blob:1');
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const name = await downloadFile('/api/x', { token: 'tok', fallbackName: 'f.csv', fetchImpl: fetchImpl as unknown as typeof fetch });
    expect(name).toBe('x.csv');
    expect(fetchImpl).toHaveBeenCalledWith('/api/x', { headers: { authorization: 'Bearer tok' } });
    expect(click).toHaveBeenCalledOnce();
  });

  it('fails with the HTTP status', async () => {
    const fetchImpl = vi.fn(async () => new Response('forbidden', { status: 403 }));
    await expect(downloadFile('/api/x', { fallbackName: 'f', fetchImpl: fetchImpl as unknown as typeof fetch })).rejects.toBeInstanceOf(DownloadError);
  });
});

describe('multipart upload', () => {
  it('follows graphql-multipart-request-spec', async () => {
    const file = new File(['x'], 'q.csv', { type: 'text/csv' });
    const form = multipartBody('mutation M($file: Upload!) { m }', { bankID: 'b1', dryRun: true }, 'file', file, 'q.csv');
    expect(JSON.parse(form.get('operations') as string)).toEqual({
      query: 'mutation M($file: Upload!) { m }',
      variables: { bankID: 'b1', dryRun: true, file: null },
    });
    expect(JSON.parse(form.get('map') as string)).toEqual({ '0': ['variables.file'] });
    expect((form.get('0') as File).name).toBe('q.csv');
  });

  it('returns data, or GraphQL errors as a CombinedError', async () => {
    const file = new File(['x'], 'q.csv');
    const ok = vi.fn(async () => new Response(JSON.stringify({ data: { n: 1 } })));
    const res = await uploadOperation<{ n: number }>('mutation { n }', {}, 'file', file, { token: 't', fetchImpl: ok as unknown as typeof fetch });
    expect(res.data).toEqual({ n: 1 });
    const init = (ok.mock.calls[0] as unknown as [string, RequestInit])[1];
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>).authorization).toBe('Bearer t');

    const bad = vi.fn(async () => new Response(JSON.stringify({ errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }], data: null })));
    const res2 = await uploadOperation('mutation { n }', {}, 'file', file, { fetchImpl: bad as unknown as typeof fetch });
    expect(res2.error?.graphQLErrors[0].extensions.code).toBe('FORBIDDEN');
  });
});
