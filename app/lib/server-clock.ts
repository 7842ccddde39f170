'use client';

import { useEffect, useState } from 'react';

/**
 * The server's clock as this page knows it. The server alone decides lateness, by its own
 * clock; a school laptop's clock can be minutes off, so a page that says "the due date passed"
 * reads the time from the `Date` header every API answer carries (the API's fetch reports it
 * here) instead of trusting the browser's.
 */
let serverAheadByMs = 0;

/**
 * Notes the server's time from an answer's `Date` header, received at `receivedAt` (browser
 * time). The header has whole seconds, cut down: the server's time was within the second after it.
 */
export function noteServerDate(dateHeader: string | null, receivedAt: number = Date.now()): void {
  const sent = dateHeader ? Date.parse(dateHeader) : Number.NaN;
  if (Number.isFinite(sent)) serverAheadByMs = sent + 500 - receivedAt;
}

/** Now, by the server's clock (the browser's until an API answer has come). */
export function serverNow(): Date {
  return new Date(Date.now() + serverAheadByMs);
}

/** The API's fetch: every answer tells the page the server's time. */
export const fetchNotingServerDate: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  noteServerDate(response.headers.get('date'));
  return response;
};

/** How often words such as "in 5 minutes" are brought up to date on an open page. */
const TICK_MS = 30_000;

/**
 * The server's now at every render, and a render every half minute besides, so a page left
 * open says when a due date passes (and a due date just changed is judged at once).
 */
export function useServerNow(): Date {
  const [, setTicks] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTicks((ticks) => ticks + 1), TICK_MS);
    return () => clearInterval(timer);
  }, []);
  return serverNow();
}
