import { NotebookList } from './home/NotebookList';

export default function HomePage() {
  return <NotebookList />;
}
