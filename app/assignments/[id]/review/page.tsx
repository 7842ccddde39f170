import type { Metadata } from 'next';
import { ClassReviewView } from '../../../review/ClassReviewView';

export const metadata: Metadata = { title: 'Class view' };

export default async function ClassReviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ClassReviewView assignmentId={id} />;
}
