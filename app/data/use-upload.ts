'use client';

import { useState } from 'react';
import type { UploadProgress } from './upload';

/**
 * The part every upload form shares: progress while the bytes go up, the server's message
 * when it refuses, and nothing left half-done in the form when it fails.
 */
export function useUpload() {
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  /** Sends `total` bytes through `send`; its result, or null after showing why it failed. */
  async function send<T>(total: number, upload: (onProgress: (progress: UploadProgress) => void) => Promise<T>): Promise<T | null> {
    setProblem(null);
    setProgress({ sent: 0, total });
    try {
      return await upload(setProgress);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
      return null;
    } finally {
      setProgress(null);
    }
  }

  return { progress, problem, setProblem, busy: progress !== null, send };
}
