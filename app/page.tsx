import { MyAssignments } from './assignments/MyAssignments';
import { NotebookList } from './home/NotebookList';

export default function HomePage() {
  return (
    <>
      <MyAssignments />
      <NotebookList />
    </>
  );
}
