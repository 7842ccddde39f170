import Link from 'next/link';
import type { PageAccount } from '../account/page-account';
import { AccountMenu } from './AccountMenu';
import { LogoMark } from './Logo';
import './site-header.css';

/** `account`: who the server found signed in for this page (see AccountMenu's `initialAccount`). */
export function SiteHeader({ account }: { account?: PageAccount | null }) {
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link href="/" className="brand" aria-label="Layerbook home">
          <LogoMark />
          <span className="brand__name">Layerbook</span>
        </Link>
        <span className="site-header__tagline">Build neural networks from blocks</span>
        <nav className="site-header__nav" aria-label="Site">
          <Link href="/classes" className="site-header__link">
            Classes
          </Link>
          <Link href="/layers" className="site-header__link">
            <span className="site-header__wide">Layer reference</span>
            <span className="site-header__narrow">Layers</span>
          </Link>
        </nav>
        <AccountMenu initialAccount={account} />
      </div>
    </header>
  );
}
