'use client';

import { ClassAccountsForm, ResetPasswordButton } from './ClassAccounts';
import { useId, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { JoinedClass, TaughtClass } from '../../server/services/classes';
import { ClassAssignments } from '../assignments/ClassAssignments';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Icon } from '../components/Icons';
import { plural } from '../lib/time';
import { describeApiError } from '../trpc/errors';
import { useTRPC } from '../trpc/react';

function useInvalidateClasses() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: trpc.class.list.queryKey() });
    // Leaving or deleting a class changes which shared datasets the pickers offer.
    void queryClient.invalidateQueries({ queryKey: trpc.dataset.list.queryKey() });
  };
}

/** A class the user teaches: its code, big enough to copy onto a board, and who joined. */
export function TaughtClassCard({ taught }: { taught: TaughtClass }) {
  const trpc = useTRPC();
  const id = useId();
  const invalidate = useInvalidateClasses();
  const [renaming, setRenaming] = useState(false);
  const [newName, setNewName] = useState(taught.name);
  const [toRemove, setToRemove] = useState<{ userId: string; displayName: string } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);

  const rename = useMutation(
    trpc.class.rename.mutationOptions({
      onSuccess: () => {
        setRenaming(false);
        invalidate();
      },
    }),
  );
  const remove = useMutation(
    trpc.class.removeMember.mutationOptions({
      onSuccess: () => {
        setToRemove(null);
        invalidate();
      },
    }),
  );
  const destroy = useMutation(trpc.class.delete.mutationOptions({ onSuccess: invalidate }));

  return (
    <article className="class-card" aria-labelledby={`${id}-name`}>
      <div className="class-card__head">
        <h3 id={`${id}-name`} className="class-card__name">{taught.name}</h3>
        <div className="class-card__actions">
          <button
            type="button"
            className="icon-button"
            aria-label={`Rename ${taught.name}`}
            title="Rename class"
            onClick={() => {
              rename.reset();
              setNewName(taught.name);
              setRenaming(true);
            }}
          >
            <Icon name="edit" />
          </button>
          <button
            type="button"
            className="icon-button icon-button--danger"
            aria-label={`Delete ${taught.name}`}
            title="Delete class"
            onClick={() => {
              destroy.reset();
              setConfirmDelete(true);
            }}
          >
            <Icon name="trash" />
          </button>
        </div>
      </div>

      {renaming && (
        <form
          className="class-card__rename"
          aria-label={`Rename ${taught.name}`}
          onSubmit={(event) => {
            event.preventDefault();
            rename.mutate({ classId: taught.id, name: newName });
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-rename`}>New name</label>
            <input id={`${id}-rename`} value={newName} onChange={(event) => setNewName(event.target.value)} maxLength={100} autoFocus />
          </div>
          <div className="class-card__rename-actions">
            <button type="submit" className="button button--primary button--small" disabled={rename.isPending}>
              Save name
            </button>
            <button type="button" className="button button--small" onClick={() => setRenaming(false)}>
              Cancel
            </button>
          </div>
          {rename.isError && (
            <p role="alert" className="field__error">
              {describeApiError(rename.error).message}
            </p>
          )}
        </form>
      )}

      <dl className="class-card__code">
        <dt className="class-card__code-label">Join code</dt>
        <dd className="class-card__code-value">{taught.joinCode}</dd>
      </dl>
      <p className="class-card__code-help">Students open Classes, choose “Join a class” and type this code.</p>

      <ClassAssignments classId={taught.id} className={taught.name} />

      <section className="class-card__section" aria-labelledby={`${id}-members`}>
        <h4 id={`${id}-members`} className="class-card__section-title">
          {taught.memberCount === 0 ? 'Students' : `Students (${taught.memberCount})`}
        </h4>
        {taught.members.length === 0 ? (
          <p className="class-card__empty">Nobody has joined yet. Reload this page after your students have typed the code.</p>
        ) : (
          <ul className="class-card__members" aria-label={`Students in ${taught.name}`}>
            {taught.members.map((member) => (
              <li key={member.userId}>
                <span className="class-card__member-name">
                  {member.displayName}
                  {member.username && <span className="class-card__member-username">{member.username}</span>}
                </span>
                {member.username && <ResetPasswordButton classId={taught.id} member={member} />}
                <button
                  type="button"
                  className="button button--small button--danger-outline"
                  aria-label={`Remove ${member.displayName} from ${taught.name}`}
                  onClick={() => {
                    remove.reset();
                    setToRemove(member);
                  }}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      <ClassAccountsForm classId={taught.id} className={taught.name} />

      <section className="class-card__section" aria-labelledby={`${id}-data`}>
        <h4 id={`${id}-data`} className="class-card__section-title">Shared datasets</h4>
        {taught.sharedDatasets.length === 0 ? (
          <p className="class-card__empty">None yet. To share one, open a notebook, pick your upload in a data cell and press “Share with class…”.</p>
        ) : (
          <ul className="class-card__datasets">
            {taught.sharedDatasets.map((d) => (
              <li key={d.id}>{d.name}</li>
            ))}
          </ul>
        )}
      </section>

      <ConfirmDialog
        open={toRemove !== null}
        title={`Remove ${toRemove?.displayName ?? ''} from ${taught.name}?`}
        confirmLabel={remove.isPending ? 'Removing…' : 'Yes, remove'}
        cancelLabel="Keep them"
        danger
        busy={remove.isPending}
        onConfirm={() => toRemove && remove.mutate({ classId: taught.id, userId: toRemove.userId })}
        onCancel={() => setToRemove(null)}
      >
        <p>They can no longer use the datasets shared with this class. Their own notebooks stay theirs, and they can join again with the code.</p>
        {remove.isError && (
          <p role="alert" className="notice notice--error">
            Could not remove them: {describeApiError(remove.error).message}
          </p>
        )}
      </ConfirmDialog>

      <ConfirmDialog
        open={confirmDelete}
        title={`Delete ${taught.name}?`}
        confirmLabel={destroy.isPending ? 'Deleting…' : 'Yes, delete the class'}
        cancelLabel="Keep it"
        danger
        busy={destroy.isPending}
        onConfirm={() => destroy.mutate({ classId: taught.id })}
        onCancel={() => setConfirmDelete(false)}
      >
        <p>
          {taught.memberCount === 0
            ? 'Nobody has joined it yet.'
            : `${plural(taught.memberCount, 'student')} will leave it and lose the datasets shared with it.`}{' '}
          Your datasets and everyone’s notebooks stay. The code stops working.
        </p>
        {destroy.isError && (
          <p role="alert" className="notice notice--error">
            Could not delete it: {describeApiError(destroy.error).message}
          </p>
        )}
      </ConfirmDialog>
    </article>
  );
}

/** A class the user joined: who teaches it, and a way out. */
export function JoinedClassCard({ joined }: { joined: JoinedClass }) {
  const trpc = useTRPC();
  const id = useId();
  const invalidate = useInvalidateClasses();
  const [confirmLeave, setConfirmLeave] = useState(false);
  const leave = useMutation(trpc.class.leave.mutationOptions({ onSuccess: invalidate }));

  return (
    <article className="class-card class-card--joined" aria-labelledby={`${id}-name`}>
      <div className="class-card__head">
        <div>
          <h3 id={`${id}-name`} className="class-card__name">{joined.name}</h3>
          <p className="class-card__teacher">Teacher: {joined.teacherName}</p>
        </div>
        <button
          type="button"
          className="button button--small"
          aria-label={`Leave ${joined.name}`}
          onClick={() => {
            leave.reset();
            setConfirmLeave(true);
          }}
        >
          Leave
        </button>
      </div>
      <ConfirmDialog
        open={confirmLeave}
        title={`Leave ${joined.name}?`}
        confirmLabel={leave.isPending ? 'Leaving…' : 'Yes, leave'}
        cancelLabel="Stay"
        danger
        busy={leave.isPending}
        onConfirm={() => leave.mutate({ classId: joined.id })}
        onCancel={() => setConfirmLeave(false)}
      >
        <p>You will no longer be able to use the datasets {joined.teacherName} shared with the class. You can join again with the code.</p>
        {leave.isError && (
          <p role="alert" className="notice notice--error">
            Could not leave: {describeApiError(leave.error).message}
          </p>
        )}
      </ConfirmDialog>
    </article>
  );
}
