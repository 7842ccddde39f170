import Link from 'next/link';
import { LogoMark } from './Logo';

export function SiteHeader() {
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link href="/" className="brand" aria-label="Layerbook home">
          <LogoMark />
          <span className="brand__name">Layerbook</span>
        </Link>
        <span className="site-header__tagline">Build neural networks from blocks</span>
      </div>
    </header>
  );
}
