import type { Page } from '@filegraph/testing/browser';
import { testAdmin } from '@filegraph/testing/accounts';

/**
 * Signs in through the sign-in page the page shows now (or opens `url` first)
 * as a person would, and waits until the workspace replaced it. The session
 * cookie then serves every page of the browser's context.
 */
export async function signInThroughPage(
  page: Page,
  options: { url?: string; who?: { email: string; password: string } } = {},
): Promise<void> {
  const who = options.who ?? testAdmin;
  if (options.url) await page.goto(options.url);
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByRole('textbox', { name: 'Email' }).fill(who.email);
  await form.getByLabel('Password', { exact: true }).fill(who.password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await form.waitFor({ state: 'detached' });
}
