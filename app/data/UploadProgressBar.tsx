'use client';

import { describeProgress, type UploadProgress } from './upload';

/** How much of an upload has been sent; once it all has, that the server is working on it. */
export function UploadProgressBar({ progress }: { progress: UploadProgress }) {
  return (
    <div className="upload-progress" role="status">
      <progress max={progress.total || 1} value={progress.sent} aria-label="Upload progress" />
      <span>{describeProgress(progress)}</span>
    </div>
  );
}
