import type { Metadata } from 'next';
import { ClassesView } from './ClassesView';

export const metadata: Metadata = {
  title: 'Classes',
  description: 'Make a class and give students its code, or join your teacher’s class.',
};

export default function ClassesPage() {
  return <ClassesView />;
}
