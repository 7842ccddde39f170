import type { Metadata } from 'next';
import { SubmissionView } from '../../review/SubmissionView';

export const metadata: Metadata = { title: 'Hand-in' };

export default async function SubmissionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <SubmissionView submissionId={id} />;
}
