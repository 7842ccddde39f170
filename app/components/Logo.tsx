/** Three stacked layers joined by connections: the product in one picture. Decorative next to the name. */
export function LogoMark({ size = 32 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect x="1" y="1" width="30" height="30" rx="8" fill="var(--brand)" />
      <g stroke="#fff" strokeWidth="1.4" strokeOpacity="0.55">
        <path d="M9 10 L16 16 M9 10 L16 23 M9 16 L16 9 M9 16 L16 23 M9 22 L16 9 M9 22 L16 16" />
        <path d="M16 9 L23 16 M16 16 L23 16 M16 23 L23 16" />
      </g>
      <g fill="#fff">
        <circle cx="9" cy="10" r="2.4" />
        <circle cx="9" cy="16" r="2.4" />
        <circle cx="9" cy="22" r="2.4" />
        <circle cx="16" cy="9" r="2.4" />
        <circle cx="16" cy="16" r="2.4" />
        <circle cx="16" cy="23" r="2.4" />
      </g>
      <circle cx="23" cy="16" r="3" fill="var(--accent-on-brand)" />
    </svg>
  );
}
