import type { Metadata } from 'next';
import { NotebookEditor } from '../../notebook/NotebookEditor';

export const metadata: Metadata = { title: 'Notebook' };

export default async function NotebookPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <NotebookEditor id={id} />;
}
