import type { Metadata } from 'next';
import { AdminView } from './AdminView';

export const metadata: Metadata = { title: 'Admin', description: 'Accounts, teachers and the teacher code.' };

export default function AdminPage() {
  return <AdminView />;
}
