'use client';

import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { describeApiError } from '../trpc/errors';
import { useTRPC } from '../trpc/react';
import { CreateClassForm, JoinClassForm } from './ClassForms';
import { JoinedClassCard, TaughtClassCard } from './ClassCards';
import './classes.css';

/** Teachers make classes and see who joined; students join with the code on the board. */
export function ClassesView() {
  const trpc = useTRPC();
  const classes = useQuery(trpc.class.list.queryOptions());
  const me = useQuery(trpc.account.me.queryOptions());
  const role = me.data?.account?.role;
  const teaches = role === 'teacher' || role === 'admin';
  const mine = classes.data;

  return (
    <section className="classes" aria-labelledby="classes-title">
      <div className="classes__head">
        <h1 id="classes-title" className="home__title">Classes</h1>
        <p className="home__lead">
          A teacher makes a class and writes its code on the board. Students join with that code, and can then use the datasets the
          teacher shares with the class.
        </p>
      </div>

      {classes.isPending && <p role="status">Loading your classes…</p>}
      {classes.isError && (
        <div role="alert" className="notice notice--error">
          <p>Could not load your classes: {describeApiError(classes.error).message}</p>
          <button type="button" className="button" onClick={() => void classes.refetch()}>
            Try again
          </button>
        </div>
      )}

      {mine && mine.teaching.length > 0 && (
        <section className="classes__group" aria-labelledby="classes-teaching">
          <h2 id="classes-teaching" className="classes__group-title">Classes you teach</h2>
          <ul className="classes__list">
            {mine.teaching.map((c) => (
              <li key={c.id}>
                <TaughtClassCard taught={c} />
              </li>
            ))}
          </ul>
        </section>
      )}

      {mine && mine.memberOf.length > 0 && (
        <section className="classes__group" aria-labelledby="classes-joined">
          <h2 id="classes-joined" className="classes__group-title">Classes you are in</h2>
          <ul className="classes__list">
            {mine.memberOf.map((c) => (
              <li key={c.id}>
                <JoinedClassCard joined={c} />
              </li>
            ))}
          </ul>
        </section>
      )}

      {mine && (
        <div className="classes__forms">
          <JoinClassForm knownName={mine.displayName} />
          {teaches ? (
            <CreateClassForm knownName={mine.displayName} />
          ) : (
            <div className="class-form">
              <h2 className="class-form__title">Teachers</h2>
              <p className="class-form__lead">
                To make a class, <Link href="/sign-in">sign in</Link> with your teacher account, or <Link href="/sign-up">make one</Link> with the
                teacher code from whoever runs Layerbook at your school.
              </p>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
