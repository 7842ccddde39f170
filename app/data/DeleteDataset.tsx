'use client';

import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DatasetOrigin } from '../../server/services/dataset-access';
import { listInWords } from '../../blocks/format/words';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { describeApiError } from '../trpc/errors';
import { useTRPC } from '../trpc/react';

type OwnOrigin = Extract<DatasetOrigin, { kind: 'yours' }>;

/**
 * Deleting one of the user's own uploads, after a confirmation that names it and who else
 * loses it. The server refuses while an assignment is graded on it and says which; that
 * sentence is shown as it is. Cells that still name the dataset keep their choice and say the
 * data was deleted (the server's answer when they read it), so no notebook is damaged.
 */
export function DeleteDataset({ dataset }: { dataset: { id: string; name: string; origin: OwnOrigin } }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation(
    trpc.dataset.delete.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        void queryClient.invalidateQueries({ queryKey: trpc.dataset.list.queryKey() });
        // Read again, every cell naming it hears that it was deleted.
        void queryClient.invalidateQueries({ queryKey: trpc.dataset.get.queryKey({ id: dataset.id }) });
        void queryClient.invalidateQueries({ queryKey: trpc.class.list.queryKey() });
      },
    }),
  );
  const { sharedWith, visibility } = dataset.origin;
  const others = [
    sharedWith.length > 0 && `the students of ${listInWords(sharedWith.map((s) => s.className))}`,
    visibility === 'school' && 'everyone at this school',
  ].filter(Boolean);

  return (
    <>
      <button
        type="button"
        className="button button--small button--danger-outline data-cell__delete"
        aria-label={`Delete the dataset ${dataset.name}`}
        onClick={() => (remove.reset(), setConfirming(true))}
      >
        Delete dataset…
      </button>
      <ConfirmDialog
        open={confirming}
        title={`Delete “${dataset.name}”?`}
        confirmLabel={remove.isPending ? 'Deleting…' : 'Yes, delete it'}
        cancelLabel="Keep it"
        danger
        busy={remove.isPending}
        onConfirm={() => remove.mutate({ id: dataset.id })}
        onCancel={() => setConfirming(false)}
      >
        <p>Its examples are removed for good{others.length > 0 ? `, for ${listInWords(others as string[])} too` : ''}.</p>
        <p>
          Data cells that use it, this one included, then say the data was deleted and let you pick other data; models and runs already trained on it stay as they
          are.
        </p>
        {remove.isError && (
          <p role="alert" className="notice notice--error">
            Could not delete it: {describeApiError(remove.error).message}
          </p>
        )}
      </ConfirmDialog>
    </>
  );
}
