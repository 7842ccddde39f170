import type { Metadata } from 'next';
import { SignUpForm } from './SignUpForm';

export const metadata: Metadata = { title: 'Make an account', description: 'Make a Layerbook account with your class code, or as a teacher.' };

export default function SignUpPage() {
  return <SignUpForm />;
}
