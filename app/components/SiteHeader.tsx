import Link from 'next/link';
import { AccountMenu } from './AccountMenu';
import { LogoMark } from './Logo';
import type { PageAccount } from './signed-in';
import './site-header.css';

export function SiteHeader({ account }: { account: PageAccount }) {
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
        <AccountMenu initial={account} />
      </div>
    </header>
  );
}
