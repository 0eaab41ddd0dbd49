// 登录 and 退出登录.
export async function signIn({ page, base, shot }, password) {
  await page.goto(`${base}/admin/`);
  await page.locator('input[autocomplete="username"]').fill('admin');
  await page.locator('input[type="password"]').fill(password);
  await shot('sign-in');
  await page.locator('button[type="submit"]').click();
  await page.locator('.ant-menu-item-selected', { hasText: '概览' }).waitFor();
  console.log('ok signed in as admin');
}

export async function signOut({ page, shot }) {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: '退出登录' }).click();
  await page.getByText('管理员登录').waitFor();
  await shot('signed-out');
  console.log('ok signed out');
}
