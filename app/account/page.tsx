import type { Metadata } from 'next';
import { AccountView } from './AccountView';

export const metadata: Metadata = { title: 'Your account', description: 'Change your password or sign out everywhere.' };

export default function AccountPage() {
  return <AccountView />;
}
