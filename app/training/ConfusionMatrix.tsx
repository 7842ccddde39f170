'use client';

import { useId, type CSSProperties } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { ConfusionMatrix as Matrix } from '../../blocks/format/confusion-matrix';
import { mistakeSentences, shareOfRow, testExampleCount } from '../../blocks/format/confusion-words';
import { describeApiError } from '../trpc/errors';
import { useTRPC } from '../trpc/react';
import { formatNumber, formatPercent } from './progress';
import './confusion-matrix.css';

/**
 * A finished run's confusion matrix: for every class, what the model answered on the test
 * examples it never trained on (the ones behind "Test accuracy"), with the most frequent
 * mistakes in words. Read with run.get rather than carried by the live progress, whose events
 * stay small; runs without one (not classes, more than 50 classes) show nothing.
 */
export function ConfusionMatrix({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const run = useQuery(trpc.run.get.queryOptions({ runId }));
  if (run.isError) {
    return <p className="notice notice--error">Could not load the table of right and wrong answers: {describeApiError(run.error).message}</p>;
  }
  const matrix = run.data?.confusionMatrix;
  return matrix ? <ConfusionTable matrix={matrix} /> : null;
}

function ConfusionTable({ matrix }: { matrix: Matrix }) {
  const headingId = useId();
  const total = testExampleCount(matrix);
  return (
    <section className="confusion" aria-labelledby={headingId}>
      <h4 id={headingId} className="confusion__title">Right and wrong answers (the confusion matrix)</h4>
      <p className="confusion__how hint">
        Each row is what the test examples really were, each column what the model answered. The green diagonal counts the right
        answers; every other cell is a mistake. The darker a cell, the bigger its share of the row.
      </p>
      {/* tabIndex: a box that scrolls must be reachable with the keyboard to be scrolled with it. */}
      <div className="table-scroll confusion__scroll" tabIndex={0} role="group" aria-label="Confusion matrix">
        <table className="confusion__table">
          <caption>What the model answered for the {formatNumber(total)} test examples</caption>
          <thead>
            <tr>
              <td className="confusion__corner" />
              <th scope="colgroup" colSpan={matrix.classes.length} className="confusion__axis">
                predicted as <span aria-hidden="true">→</span>
              </th>
            </tr>
            <tr>
              <th scope="col" className="confusion__axis confusion__axis--rows">
                true class <span aria-hidden="true">↓</span>
              </th>
              {matrix.classes.map((name) => (
                <th key={name} scope="col" className="confusion__class">
                  <span className="visually-hidden">predicted as </span>
                  {name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {matrix.counts.map((row, actual) => (
              <tr key={matrix.classes[actual]}>
                <th scope="row" className="confusion__class confusion__class--row">
                  <span className="visually-hidden">true class </span>
                  {matrix.classes[actual]}
                </th>
                {row.map((count, predicted) => {
                  const share = shareOfRow(matrix, actual, predicted);
                  const kind = actual === predicted ? 'right' : count > 0 ? 'wrong' : 'none';
                  return (
                    <td
                      key={matrix.classes[predicted]}
                      className={`confusion__cell confusion__cell--${kind}`}
                      style={{ '--share': share } as CSSProperties}
                      title={`${matrix.classes[actual]} answered as ${matrix.classes[predicted]}: ${formatPercent(share)} of the ${matrix.classes[actual]} examples`}
                    >
                      {formatNumber(count)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {mistakeSentences(matrix).map((sentence) => (
        <p key={sentence} className="confusion__mistake">
          {sentence}
        </p>
      ))}
    </section>
  );
}
