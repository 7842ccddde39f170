'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Icon } from '../components/Icons';
import { formatRelativeTime, plural } from '../lib/time';
import { describeApiError } from '../trpc/errors';
import { useTRPC } from '../trpc/react';

/** The title of the starter notebook the server makes (db/seed.ts); e2e checks the two agree. */
const STARTER_TITLE = 'Your first neural network';

export function NotebookList() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const notebooks = useQuery(trpc.notebook.list.queryOptions());
  const [toDelete, setToDelete] = useState<{ id: string; title: string } | null>(null);

  const create = useMutation(
    trpc.notebook.create.mutationOptions({
      onSuccess: ({ id }) => {
        void queryClient.invalidateQueries({ queryKey: trpc.notebook.list.queryKey() });
        router.push(`/notebooks/${id}`);
      },
    }),
  );
  // Opening the starter is a newcomer's first action: it makes their session and the notebook.
  const openStarter = useMutation(
    trpc.notebook.openStarter.mutationOptions({
      onSuccess: ({ id }) => {
        void queryClient.invalidateQueries({ queryKey: trpc.notebook.list.queryKey() });
        router.push(`/notebooks/${id}`);
      },
    }),
  );
  const remove = useMutation(
    trpc.notebook.delete.mutationOptions({
      onSuccess: () => {
        setToDelete(null);
        void queryClient.invalidateQueries({ queryKey: trpc.notebook.list.queryKey() });
      },
    }),
  );

  return (
    <section className="home" aria-labelledby="home-title">
      <div className="home__head">
        <div>
          <h1 id="home-title" className="home__title">Your notebooks</h1>
          <p className="home__lead">
            Snap layers together, read the code they make, and train your network on real handwriting.
          </p>
        </div>
        <button
          type="button"
          className="button button--primary button--large"
          onClick={() => create.mutate({})}
          disabled={create.isPending}
        >
          <Icon name="plus" />
          {create.isPending ? 'Creating…' : 'New notebook'}
        </button>
      </div>
      {create.isError && (
        <p role="alert" className="notice notice--error">
          Could not create a notebook: {describeApiError(create.error).message}
        </p>
      )}

      {notebooks.isPending && (
        <ul className="notebook-grid" aria-label="Loading notebooks" aria-busy="true">
          {[0, 1, 2].map((i) => (
            <li key={i} className="notebook-card notebook-card--skeleton" />
          ))}
        </ul>
      )}

      {notebooks.isError && (
        <div role="alert" className="notice notice--error">
          <p>Could not load your notebooks: {describeApiError(notebooks.error).message}</p>
          <button type="button" className="button" onClick={() => void notebooks.refetch()}>
            Try again
          </button>
        </div>
      )}

      {notebooks.isSuccess && notebooks.data.length === 0 && (
        <>
          <ul className="notebook-grid" aria-label="Start here">
            <li className="notebook-card notebook-card--starter">
              <button
                type="button"
                className="notebook-card__link"
                onClick={() => openStarter.mutate()}
                disabled={openStarter.isPending}
                aria-describedby="starter-about"
              >
                <span className="notebook-card__icon"><Icon name="notebook" size={22} /></span>
                <span className="notebook-card__title">{STARTER_TITLE}</span>
              </button>
              <p id="starter-about" className="notebook-card__meta">
                {openStarter.isPending ? 'Opening…' : 'Start here: a network that learns to read handwritten digits, ready to train.'}
              </p>
            </li>
          </ul>
          {openStarter.isError && (
            <p role="alert" className="notice notice--error">
              Could not open it: {describeApiError(openStarter.error).message}
            </p>
          )}
        </>
      )}

      {notebooks.isSuccess && notebooks.data.length > 0 && (
        <ul className="notebook-grid" aria-label="Notebooks">
          {notebooks.data.map((notebook) => {
            const title = notebook.title.trim() || 'Untitled notebook';
            return (
              <li key={notebook.id} className="notebook-card">
                <Link href={`/notebooks/${notebook.id}`} className="notebook-card__link">
                  <span className="notebook-card__icon"><Icon name="notebook" size={22} /></span>
                  <span className="notebook-card__title">{title}</span>
                </Link>
                <div className="notebook-card__meta">
                  <span>
                    Edited <time dateTime={notebook.updatedAt}>{formatRelativeTime(notebook.updatedAt)}</time>
                  </span>
                  <span aria-hidden="true">·</span>
                  <span>{plural(notebook.cellCount, 'cell')}</span>
                </div>
                <button
                  type="button"
                  className="icon-button icon-button--danger notebook-card__delete"
                  aria-label={`Delete ${title}`}
                  title="Delete notebook"
                  onClick={() => {
                    remove.reset();
                    setToDelete({ id: notebook.id, title });
                  }}
                >
                  <Icon name="trash" />
                </button>
              </li>
            );
          })}
        </ul>
      )}

      <ConfirmDialog
        open={toDelete !== null}
        title={`Delete “${toDelete?.title ?? ''}”?`}
        confirmLabel={remove.isPending ? 'Deleting…' : 'Yes, delete it'}
        cancelLabel="Keep it"
        danger
        busy={remove.isPending}
        onConfirm={() => toDelete && remove.mutate({ id: toDelete.id })}
        onCancel={() => setToDelete(null)}
      >
        <p>The notebook and all of its training runs will be gone for good. This cannot be undone.</p>
        {remove.isError && (
          <p role="alert" className="notice notice--error">
            Could not delete it: {describeApiError(remove.error).message}
          </p>
        )}
      </ConfirmDialog>
    </section>
  );
}
