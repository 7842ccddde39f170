import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { connection } from 'next/server';
import { pageAccount } from './account/page-account';
import { SiteHeader } from './components/SiteHeader';
import { ApiProvider } from './trpc/react';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Layerbook', template: '%s · Layerbook' },
  description: 'Snap layer blocks into a neural network, read the TensorFlow.js code, and train it.',
  icons: { icon: '/favicon.svg' },
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: '#4f46e5',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request, so each carries the fresh script nonce that the
  // server's Content-Security-Policy names (server/security-headers.ts); a page built once
  // at build time could not.
  await connection();
  const account = await pageAccount();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">Skip to content</a>
        <ApiProvider>
          <SiteHeader account={account} />
          <main id="main" className="page">
            {children}
          </main>
        </ApiProvider>
      </body>
    </html>
  );
}
