'use client';
import { useEffect, useRef, useState, type RefObject } from 'react';

/**
 * A ref for an element and whether it has come near the screen (within `margin` of it) yet.
 * Stays true once it has: for work worth doing only when the student may look (loading TF.js
 * for a picture further down the page), done once.
 */
export function useNearViewport<T extends HTMLElement>(margin = '300px'): [RefObject<T | null>, boolean] {
  const ref = useRef<T>(null);
  const [near, setNear] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element || near) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) setNear(true);
    }, { rootMargin: margin });
    observer.observe(element);
    return () => observer.disconnect();
  }, [margin, near]);
  return [ref, near];
}
