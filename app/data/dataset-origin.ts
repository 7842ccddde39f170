import { listInWords } from '../../blocks/format/words';
import type { DatasetOrigin } from '../../server/services/dataset-access';

/** Where a dataset in the picker comes from, in a few words after its name. */
export function originPhrase(origin: DatasetOrigin): string {
  switch (origin.kind) {
    case 'yours':
      return 'yours';
    case 'shared':
      return `shared by ${origin.teacherName} with ${listInWords(origin.classNames)}`;
    case 'school':
      return 'school dataset';
  }
}

/** How the preview names the data: "your uploaded table", "a table Ms Rivera shared with 7B". */
export function whoseData(origin: DatasetOrigin, kind: 'table' | 'pictures'): string {
  const thing = kind === 'table' ? 'a table' : 'pictures';
  switch (origin.kind) {
    case 'yours':
      return `your uploaded ${kind}`;
    case 'shared':
      return `${thing} ${origin.teacherName} shared with ${listInWords(origin.classNames)}`;
    case 'school':
      return `${thing} ${origin.ownerName || 'a teacher'} added for the whole school`;
  }
}

export interface OriginGroup<T> {
  label: string;
  datasets: T[];
}

/** The picker's groups, in the order a student looks for data: their own, their class's, the school's. */
export function groupByOrigin<T extends { origin: DatasetOrigin }>(datasets: readonly T[]): OriginGroup<T>[] {
  const groups: OriginGroup<T>[] = [
    { label: 'Your uploads', datasets: datasets.filter((d) => d.origin.kind === 'yours') },
    { label: 'Shared with your classes', datasets: datasets.filter((d) => d.origin.kind === 'shared') },
    { label: 'School datasets', datasets: datasets.filter((d) => d.origin.kind === 'school') },
  ];
  // "Your uploads" stays even when empty: it is where a fresh upload appears.
  return groups.filter((g, i) => i === 0 || g.datasets.length > 0);
}

/** The picker's option text: own uploads by name, others with where they come from. */
export function datasetOptionLabel(dataset: { name: string; origin: DatasetOrigin }): string {
  return dataset.origin.kind === 'yours' ? dataset.name : `${dataset.name} (${originPhrase(dataset.origin)})`;
}
