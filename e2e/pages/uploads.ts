import { expect, type APIRequestContext } from '@playwright/test';

/**
 * Uploads a CSV of 40 2-D points in two clusters as the signed-in user's dataset, the way the
 * data cell's import does; `classes` names the two clusters.
 */
export async function uploadPoints(request: APIRequestContext, name: string, classes: [string, string] = ['cluster A', 'cluster B']): Promise<void> {
  const rows = Array.from({ length: 40 }, (_, i) => `${(i % 2 ? -0.5 : 0.5) + (i % 5) / 50},${(i % 2 ? -0.5 : 0.5) - (i % 3) / 50},${classes[i % 2]}`);
  const options = { name, label: 'cluster', features: [{ column: 'x', as: 'number' }, { column: 'y', as: 'number' }], normalization: 'none', split: { train: 60, validation: 20, test: 20 }, seed: 1 };
  const response = await request.post(`/api/datasets/csv?options=${encodeURIComponent(JSON.stringify(options))}`, {
    data: Buffer.from(`x,y,cluster\n${rows.join('\n')}\n`),
    headers: { 'content-type': 'text/csv' },
  });
  expect(response.status(), await response.text()).toBe(201);
}
