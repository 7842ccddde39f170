import type { Page } from '@playwright/test';

/** Every Content-Security-Policy refusal the page sees, recorded from the first script on. */
export async function recordPolicyViolations(page: Page): Promise<() => Promise<string[]>> {
  const console: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) console.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { policyViolations: string[] }).policyViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber} ${event.sample}`));
  });
  return async () => [...console, ...(await page.evaluate(() => (window as unknown as { policyViolations: string[] }).policyViolations))];
}
