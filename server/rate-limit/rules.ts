/**
 * How many tries an action allows in a window, written the way the README's table and the
 * environment say it: "10/minute", "300/hour", "20/10minutes".
 */
export interface RateRule {
  points: number;
  durationSeconds: number;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, second: 1, m: 60, min: 60, minute: 60, h: 3600, hour: 3600, d: 86_400, day: 86_400 };

export const RATE_RULE_EXAMPLE = '10/minute';

/** Reads "N/unit" or "N/Kunits"; null when the text is not one (the env schema says how to write it). */
export function parseRateRule(text: string): RateRule | null {
  const match = /^\s*(\d+)\s*(?:\/|per)\s*(\d+)?\s*([a-z]+?)s?\s*$/i.exec(text);
  if (!match) return null;
  const points = Number(match[1]);
  const count = match[2] === undefined ? 1 : Number(match[2]);
  const unit = UNIT_SECONDS[match[3]!.toLowerCase()];
  if (!unit || points < 1 || count < 1 || !Number.isSafeInteger(points)) return null;
  return { points, durationSeconds: count * unit };
}

export function formatRateRule(rule: RateRule): string {
  for (const [unit, seconds] of [['hour', 3600], ['minute', 60]] as const) {
    if (rule.durationSeconds % seconds === 0) {
      const count = rule.durationSeconds / seconds;
      return `${rule.points}/${count === 1 ? unit : `${count}${unit}s`}`;
    }
  }
  return `${rule.points}/${rule.durationSeconds}seconds`;
}

/** The actions that are limited, each counted per client address (saves apart: limiter.ts says why) and, once there is one, per user. */
export const LIMITED_ACTIONS = ['session', 'join', 'run', 'upload', 'save', 'signIn', 'signUp', 'handIn'] as const;
export type LimitedAction = (typeof LIMITED_ACTIONS)[number];

export interface RateLimitSettings {
  /** New users (sessions) made from one address. */
  sessionPerIp: RateRule;
  joinPerUser: RateRule;
  joinPerIp: RateRule;
  runPerUser: RateRule;
  runPerIp: RateRule;
  uploadPerUser: RateRule;
  uploadPerIp: RateRule;
  /** Saves are counted per user only (limiter.ts says why). */
  savePerUser: RateRule;
  /** Sign-in tries for one username (from any address): what stops guessing one student's password. */
  signInPerUsername: RateRule;
  signInPerIp: RateRule;
  /** Sign-ups trying one username, and sign-ups from one address. */
  signUpPerUsername: RateRule;
  signUpPerIp: RateRule;
  handInPerUser: RateRule;
  handInPerIp: RateRule;
}

/**
 * Defaults, chosen for a school where a whole class (30) or several share one public address
 * behind the school's router, and where the per-user figure is what stops one student:
 * - sessionPerIp 300/hour: ten classes arriving in one hour through one router all get in;
 *   a script dropping its cookie gets 300 users an hour, not 2,000 in 11 s, and so cannot
 *   escape the per-user quotas (3 waiting runs, 50 datasets) more than that.
 * - joinPerUser 10/minute: a student who mistypes a code several times is never stopped;
 *   joinPerIp 120/minute: a class joining at once with a few typos each. Codes have 32^6
 *   (about 10^9) values, so 2 guesses a second would need years to hit one class.
 * - runPerUser 20/minute: Train, Stop, Train again as fast as a person clicks (the queue
 *   holds 3 waiting runs anyway); runPerIp 300/minute: a class doing the same at once.
 * - uploadPerUser 60/hour: a lesson's worth of CSV and picture uploads and previews, retries included;
 *   uploadPerIp 600/hour: a class doing so; each upload may cost seconds of CPU.
 * - savePerUser 120/minute: autosave after every change, even with several tabs open. Not
 *   counted per address: a save makes nothing new, and users per address are limited already.
 * - signInPerUsername 10/10minutes: a student who forgets their password and tries every
 *   guess they have is not stopped, while guessing someone's password gets 1,440 tries a
 *   day; signInPerIp 300/10minutes: three classes signing in through one router, typos included.
 * - signUpPerUsername 10/10minutes; signUpPerIp 200/hour: several classes signing up in one
 *   hour through one router, while a script cannot fill the users table.
 * - handInPerUser 10/10minutes: each hand-in copies the run's weights and queues a grading
 *   run, so it costs storage and a worker's time; a student handing in again after each
 *   improvement in a lesson stays far below it. handInPerIp 300/10minutes: a class handing
 *   in at the bell, several times each.
 */
export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  sessionPerIp: { points: 300, durationSeconds: 3600 },
  joinPerUser: { points: 10, durationSeconds: 60 },
  joinPerIp: { points: 120, durationSeconds: 60 },
  runPerUser: { points: 20, durationSeconds: 60 },
  runPerIp: { points: 300, durationSeconds: 60 },
  uploadPerUser: { points: 60, durationSeconds: 3600 },
  uploadPerIp: { points: 600, durationSeconds: 3600 },
  savePerUser: { points: 120, durationSeconds: 60 },
  signInPerUsername: { points: 10, durationSeconds: 600 },
  signInPerIp: { points: 300, durationSeconds: 600 },
  signUpPerUsername: { points: 10, durationSeconds: 600 },
  signUpPerIp: { points: 200, durationSeconds: 3600 },
  handInPerUser: { points: 10, durationSeconds: 600 },
  handInPerIp: { points: 300, durationSeconds: 600 },
};

/** "40 seconds", "1 minute", "12 minutes": rounded up, so waiting that long always works. */
export function describeWait(seconds: number): string {
  if (seconds <= 60) {
    const s = Math.max(1, Math.ceil(seconds));
    return `${s} second${s === 1 ? '' : 's'}`;
  }
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

const WHAT: Record<LimitedAction, string> = {
  session: 'Too many new visitors from your network in a short time.',
  join: 'Too many tries to join a class.',
  run: 'You pressed Train too many times in a row.',
  upload: 'Too many uploads in a short time.',
  save: 'Your notebook was saved too many times in a short time.',
  signIn: 'Too many tries to sign in.',
  signUp: 'Too many sign-ups in a short time.',
  handIn: 'You handed in too many times in a short time.',
};

/** A sentence a student can act on: what happened, and how long to wait. */
export function tooManyTriesMessage(action: LimitedAction, retryAfterSeconds: number): string {
  return `${WHAT[action]} Wait ${describeWait(retryAfterSeconds)} and try again.`;
}
