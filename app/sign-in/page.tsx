import type { Metadata } from 'next';
import { SignInForm } from './SignInForm';

export const metadata: Metadata = { title: 'Sign in', description: 'Sign in to Layerbook with your username and password.' };

export default function SignInPage() {
  return <SignInForm />;
}
