import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * drizzle-orm 0.45 has no bytea column. PGlite hands bytea back as Uint8Array and
 * postgres.js as Buffer (a Uint8Array subclass), so Uint8Array is the common type.
 */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength)),
  fromDriver: (value) => new Uint8Array(value.buffer, value.byteOffset, value.byteLength),
});

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/**
 * admin: the first account of a fresh install (or `layerbook admin create`); makes teachers
 * and sets the teacher code. teacher: made by an admin or signed up with the teacher code;
 * only teachers (and admins) make classes. student: everyone else, anonymous users included.
 */
export const USER_ROLES = ['admin', 'teacher', 'student'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/**
 * Everyone who has done something: anonymous users (no username, no password; a browser's
 * `lb_session` cookie) and accounts. better-auth reads and writes this table as its `user`
 * model (server/auth/better-auth.ts maps `name` onto display_name); an anonymous user becomes
 * an account only by bringing their work into one, never by gaining a password in place.
 */
export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  displayName: text('display_name').notNull(),
  role: text('role', { enum: USER_ROLES }).notNull().default('student'),
  createdAt: createdAt(),
  /** Lowercase sign-in name; null for anonymous users. */
  username: text('username').unique(),
  /** The username as typed, case kept. */
  displayUsername: text('display_username'),
  /** better-auth requires one; students have none, so it is `<username>@users.invalid` (a reserved domain nothing is ever sent to). */
  email: text('email').unique(),
  emailVerified: boolean('email_verified').notNull().default(false),
  image: text('image'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  banned: boolean('banned').default(false),
  banReason: text('ban_reason'),
  banExpires: timestamp('ban_expires', { withTimezone: true }),
});

/** Signed-in sessions of accounts (better-auth's `session` model); anonymous browsers use `sessions`. */
export const authSessions = pgTable(
  'auth_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** better-auth stores the token itself and signs the cookie; the token is rotated at every sign-in. */
    token: text('token').notNull().unique(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    impersonatedBy: uuid('impersonated_by'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('auth_sessions_user_idx').on(t.userId), index('auth_sessions_expires_at_idx').on(t.expiresAt)],
);

/** How an account signs in (better-auth's `account` model): here the "credential" provider, whose `password` is an scrypt hash. */
export const authAccounts = pgTable(
  'auth_accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: timestamp('access_token_expires_at', { withTimezone: true }),
    refreshTokenExpiresAt: timestamp('refresh_token_expires_at', { withTimezone: true }),
    scope: text('scope'),
    password: text('password'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('auth_accounts_user_idx').on(t.userId)],
);

/** better-auth's `verification` model (one-time tokens); unused by username sign-in, required by the library. */
export const authVerifications = pgTable(
  'auth_verifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    identifier: text('identifier').notNull(),
    value: text('value').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('auth_verifications_identifier_idx').on(t.identifier)],
);

/**
 * Settings an admin changes while the site runs, one row each: 'teacher_code' (the code
 * that makes a sign-up a teacher; absent: nobody can sign up as a teacher).
 */
export const siteSettings = pgTable('site_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** `id` is the SHA-256 (hex) of the cookie token, so a leaked table does not leak live sessions. */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  // The expiry index serves the periodic sweep that deletes expired sessions.
  (t) => [index('sessions_user_id_idx').on(t.userId), index('sessions_expires_at_idx').on(t.expiresAt)],
);

export const notebooks = pgTable(
  'notebooks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    // Stored cells of format `formatVersion`: read only through readStoredCells (blocks/format/notebook-migrations.ts).
    cells: jsonb('cells').$type<unknown>().notNull(),
    formatVersion: integer('format_version').notNull(),
    version: integer('version').notNull().default(1),
    /**
     * Set on a student's own copy of an assignment (the one made when they first open it).
     * A deleted assignment leaves the student's work as a plain notebook.
     */
    assignmentId: uuid('assignment_id').references((): AnyPgColumn => assignments.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The home page lists a user's notebooks newest first.
    index('notebooks_owner_updated_idx').on(t.ownerId, t.updatedAt),
    // One copy per student per assignment: opening the assignment again returns it.
    uniqueIndex('notebooks_assignment_owner_idx')
      .on(t.assignmentId, t.ownerId)
      .where(sql`${t.assignmentId} is not null`),
  ],
);

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const runs = pgTable(
  'runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    notebookId: uuid('notebook_id')
      .notNull()
      .references(() => notebooks.id, { onDelete: 'cascade' }),
    cellId: text('cell_id').notNull(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    // The snapshot a run trained: written from the compile of run.start, read back only
    // through server/services/run-snapshot.ts (parsed), hence `unknown` here.
    spec: jsonb('spec').$type<unknown>().notNull(),
    training: jsonb('training').$type<unknown>().notNull(),
    /**
     * The data the run trained on, as its training cell's data resolved at the Train press (a
     * built-in set with its options, or an upload by id), so its results views show that data
     * and not the cell as it is now. Null for runs from before it was kept, and grading runs.
     * Read only through server/services/run-snapshot.ts (parsed), hence `unknown` here.
     */
    dataSource: jsonb('data_source').$type<unknown>(),
    backend: text('backend'),
    status: text('status', { enum: RUN_STATUSES }).notNull().default('queued'),
    error: text('error'),
    totalParams: bigint('total_params', { mode: 'number' }).notNull(),
    testAccuracy: doublePrecision('test_accuracy'),
    testLoss: doublePrecision('test_loss'),
    samplesPerSec: doublePrecision('samples_per_sec'),
    /**
     * A finished classification run's test examples by true and predicted class; null for runs
     * without one (unfinished, not classes, too many classes). Read only through
     * server/services/run-snapshot.ts (parsed), hence `unknown` here.
     */
    confusionMatrix: jsonb('confusion_matrix').$type<unknown>(),
    /** The worker training it (workers.id); when that worker stops beating, the run is failed. */
    workerId: text('worker_id'),
    /** Things a student should know about how the run went ("stopped early after epoch 5", "resumed after a worker was lost"), kept so a reload still shows them. */
    notes: jsonb('notes').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    /**
     * The hand-in this run grades (server/services/autograde.ts), set by the autograder only;
     * null for every run a student started. What makes a run a grading run: it belongs to no
     * cell, appears in no run list or class view and is not counted against the student's
     * waiting runs. Never told by the cell id, which students choose. Gone with the hand-in.
     */
    gradesSubmissionId: uuid('grades_submission_id').references((): AnyPgColumn => submissions.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    // A cell's run history, newest first.
    index('runs_notebook_cell_created_idx').on(t.notebookId, t.cellId, t.createdAt),
    // Startup recovery looks for runs a previous process left unfinished.
    index('runs_unfinished_idx')
      .on(t.status)
      .where(sql`${t.status} in ('queued', 'running')`),
    // A hand-in's deletion finds its grading runs (the foreign key's cascade).
    index('runs_grades_submission_idx')
      .on(t.gradesSubmissionId)
      .where(sql`${t.gradesSubmissionId} is not null`),
  ],
);

export const runMetrics = pgTable(
  'run_metrics',
  {
    runId: uuid('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    epoch: integer('epoch').notNull(),
    loss: doublePrecision('loss').notNull(),
    accuracy: doublePrecision('accuracy').notNull(),
    valLoss: doublePrecision('val_loss'),
    valAccuracy: doublePrecision('val_accuracy'),
    seconds: doublePrecision('seconds').notNull(),
    /** Metrics the training cell asked for beyond loss and accuracy, by TF.js name ("precision", "val_precision"). */
    extra: jsonb('extra').$type<Record<string, number>>().notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [primaryKey({ columns: [t.runId, t.epoch] })],
);

export const runWeights = pgTable('run_weights', {
  runId: uuid('run_id')
    .primaryKey()
    .references(() => runs.id, { onDelete: 'cascade' }),
  modelTopology: jsonb('model_topology').notNull(),
  weightSpecs: jsonb('weight_specs').$type<unknown[]>().notNull(),
  weightData: bytea('weight_data').notNull(),
});

/** The weights after the latest finished epoch of a run, so a lost run keeps its progress. */
export const runCheckpoints = pgTable('run_checkpoints', {
  runId: uuid('run_id')
    .primaryKey()
    .references(() => runs.id, { onDelete: 'cascade' }),
  epoch: integer('epoch').notNull(),
  modelTopology: jsonb('model_topology').notNull(),
  weightSpecs: jsonb('weight_specs').$type<unknown[]>().notNull(),
  weightData: bytea('weight_data').notNull(),
  /** The optimizer's own variables (Adam's moments…) in the same format, so a resumed run continues rather than restarting its optimizer. */
  optimizerSpecs: jsonb('optimizer_specs').$type<unknown[]>(),
  optimizerData: bytea('optimizer_data'),
  createdAt: createdAt(),
});

/**
 * Training processes, embedded or on other machines. Each beats every few seconds; one
 * that stops beating is gone, and the runs it held are failed.
 */
export const workers = pgTable('workers', {
  id: text('id').primaryKey(),
  hostname: text('hostname').notNull(),
  pid: integer('pid').notNull(),
  /** 'embedded' (a child of a web server) or 'external' (`layerbook worker`). */
  kind: text('kind', { enum: ['embedded', 'external'] }).notNull(),
  backend: text('backend').notNull(),
  runId: uuid('run_id'),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A student's uploaded dataset, already turned into numbers (one-hot categories,
 * normalisation, the seeded split) so training reads it without the original file.
 * Examples are numbered split by split: train rows first, then validation, then test;
 * the numbers themselves live in `dataset_chunks`, so a large set is read a chunk at a time.
 */
export const DATASET_VISIBILITIES = ['private', 'school'] as const;
export type DatasetVisibility = (typeof DATASET_VISIBILITIES)[number];
export const FEATURE_ENCODINGS = ['float32', 'uint8'] as const;
export type FeatureEncoding = (typeof FEATURE_ENCODINGS)[number];

export const datasets = pgTable(
  'datasets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** Where it came from: 'csv', 'images' (a zip, one folder per class) or 'idx' (MNIST-format files). */
    format: text('format').notNull(),
    inputShape: jsonb('input_shape').$type<number[]>().notNull(),
    classes: jsonb('classes').$type<string[]>().notNull(),
    /** How each input number was made from the file's columns (see server/data/csv-import.ts). */
    encodings: jsonb('encodings').$type<unknown[]>().notNull(),
    /** The settings the student chose (label, features, normalisation, split, seed). */
    options: jsonb('options').$type<Record<string, unknown>>().notNull(),
    /** For CSV the first rows and column summary; for pictures a few resized images (kind: 'images'). */
    preview: jsonb('preview').$type<Record<string, unknown>>().notNull(),
    trainSize: integer('train_size').notNull(),
    validationSize: integer('validation_size').notNull(),
    testSize: integer('test_size').notNull(),
    /** 'float32' little-endian, or 'uint8' pictures read as value / 255 (a quarter of the space for full-size image sets). */
    featureEncoding: text('feature_encoding', { enum: FEATURE_ENCODINGS }).notNull().default('float32'),
    /** 'school': every user of this server may train on it (a teacher's full-size set, added once). */
    visibility: text('visibility', { enum: DATASET_VISIBILITIES }).notNull().default('private'),
    createdAt: createdAt(),
  },
  (t) => [index('datasets_owner_created_idx').on(t.ownerId, t.createdAt)],
);

/** A run of consecutive examples of a dataset (in the dataset's order), so training reads a large set piece by piece. */
export const datasetChunks = pgTable(
  'dataset_chunks',
  {
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id, { onDelete: 'cascade' }),
    /** Index of the chunk's first example in the dataset's order (train, validation, test). */
    startRow: integer('start_row').notNull(),
    rowCount: integer('row_count').notNull(),
    /** rowCount × input size values in the dataset's feature encoding. */
    features: bytea('features').notNull(),
    /** Int32 little-endian class indices, one per example. */
    labels: bytea('labels').notNull(),
  },
  (t) => [primaryKey({ columns: [t.datasetId, t.startRow] })],
);

/** A teacher's class. Students join with its code; the teacher shares datasets (and later assignments) with it. */
export const classes = pgTable(
  'classes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    teacherId: uuid('teacher_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** Short code a teacher writes on the board; unique while the class exists. */
    joinCode: text('join_code').notNull().unique(),
    createdAt: createdAt(),
  },
  (t) => [index('classes_teacher_idx').on(t.teacherId)],
);

export const classMembers = pgTable(
  'class_members',
  {
    classId: uuid('class_id')
      .notNull()
      .references(() => classes.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.classId, t.userId] }), index('class_members_user_idx').on(t.userId)],
);

export const datasetShares = pgTable(
  'dataset_shares',
  {
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id, { onDelete: 'cascade' }),
    classId: uuid('class_id')
      .notNull()
      .references(() => classes.id, { onDelete: 'cascade' }),
    sharedAt: timestamp('shared_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.datasetId, t.classId] }), index('dataset_shares_class_idx').on(t.classId)],
);

/**
 * Rate-limit counters (rate-limiter-flexible's drizzle store), kept in the database so that
 * every web server behind a proxy counts the same tries. `key` is "<limit>:<ip or user>".
 */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').primaryKey(),
    points: integer('points').notNull().default(0),
    expire: timestamp('expire', { withTimezone: true }),
  },
  (t) => [index('rate_limits_expire_idx').on(t.expire)],
);

export const GRADING_STATUSES = ['queued', 'running', 'graded', 'failed'] as const;
export type GradingStatus = (typeof GRADING_STATUSES)[number];

/**
 * A teacher's notebook turned into work for a class. The template's cells are a snapshot
 * taken when the assignment was made (read through readStoredCells like any notebook), so
 * later edits to the teacher's own notebook change nothing for students.
 */
export const assignments = pgTable(
  'assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    classId: uuid('class_id')
      .notNull()
      .references(() => classes.id, { onDelete: 'cascade' }),
    /** Who made it; whether someone may change it is decided by classes.teacher_id. */
    teacherId: uuid('teacher_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The teacher's notebook it was made from, while that notebook exists. */
    sourceNotebookId: uuid('source_notebook_id').references(() => notebooks.id, { onDelete: 'set null' }),
    title: text('title').notNull(),
    /** The starter cells every student's copy begins with (instructions are its markdown cells). */
    cells: jsonb('cells').$type<unknown>().notNull(),
    formatVersion: integer('format_version').notNull(),
    /** Ids of cells students may run but not change; checked at every save of a copy. */
    lockedCellIds: jsonb('locked_cell_ids').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    /** Goals checked on every hand-in (blocks/format/goals.ts), read through goalsSchema. */
    goals: jsonb('goals').$type<unknown>().notNull().default(sql`'[]'::jsonb`),
    /**
     * The data whose test split grades hand-ins (a DataSource: a built-in set with its
     * options, or an uploaded dataset by id). Its test examples never leave the server.
     */
    testDataset: jsonb('test_dataset').$type<unknown>(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('assignments_class_due_idx').on(t.classId, t.dueAt)],
);

/**
 * One hand-in: an immutable snapshot of the student's copy and the run they chose, with
 * that run's settings, curves and (in submission_weights) weights, so deleting the run or
 * editing the notebook changes nothing here. Every hand-in is kept; the latest counts.
 */
export const submissions = pgTable(
  'submissions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    assignmentId: uuid('assignment_id')
      .notNull()
      .references(() => assignments.id, { onDelete: 'cascade' }),
    studentId: uuid('student_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The student's copy it came from, while that exists. */
    notebookId: uuid('notebook_id').references(() => notebooks.id, { onDelete: 'set null' }),
    /** 1 for a student's first hand-in of this assignment, then 2, 3… */
    attempt: integer('attempt').notNull(),
    cells: jsonb('cells').$type<unknown>().notNull(),
    formatVersion: integer('format_version').notNull(),
    /** The run handed in (no foreign key: the run may be deleted, the copy below stays). */
    runId: uuid('run_id').notNull(),
    /** The training cell (by stable id) whose run it is. */
    cellId: text('cell_id').notNull(),
    spec: jsonb('spec').$type<unknown>().notNull(),
    training: jsonb('training').$type<unknown>().notNull(),
    /** The run's per-epoch figures as run_metrics rows ({epoch, loss, accuracy, valLoss, valAccuracy, seconds, extra}). */
    metrics: jsonb('metrics').$type<unknown[]>().notNull(),
    totalParams: bigint('total_params', { mode: 'number' }).notNull(),
    backend: text('backend'),
    /** Locked cells the snapshot changed or lost ({cellId, problem: 'changed' | 'missing'}): flagged, never fatal. */
    lockedCellIssues: jsonb('locked_cell_issues').$type<unknown[]>().notNull().default(sql`'[]'::jsonb`),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
    /** Seconds after the due date by the server's clock; 0 when on time. */
    lateBySeconds: integer('late_by_seconds').notNull().default(0),
    gradingStatus: text('grading_status', { enum: GRADING_STATUSES }).notNull().default('queued'),
    /**
     * The latest run that evaluates the handed-in weights on the hidden test split in the
     * training queue (server/services/autograde.ts); that run names this hand-in in
     * runs.grades_submission_id. No foreign key: the submission's result outlives it.
     */
    gradingRunId: uuid('grading_run_id'),
    gradingError: text('grading_error'),
    /** Each goal met or not with its figure (blocks/format/goals.ts goalResultsSchema). */
    goalResults: jsonb('goal_results').$type<unknown[]>().notNull().default(sql`'[]'::jsonb`),
    /** On the assignment's hidden test split, measured by the autograder. */
    testAccuracy: doublePrecision('test_accuracy'),
    testLoss: doublePrecision('test_loss'),
    gradedAt: timestamp('graded_at', { withTimezone: true }),
  },
  (t) => [
    // A student's hand-ins of an assignment, latest first; the teacher's table takes the latest.
    index('submissions_assignment_student_idx').on(t.assignmentId, t.studentId, t.submittedAt),
    uniqueIndex('submissions_assignment_student_attempt_idx').on(t.assignmentId, t.studentId, t.attempt),
    index('submissions_grading_idx')
      .on(t.gradingStatus)
      .where(sql`${t.gradingStatus} in ('queued', 'running')`),
  ],
);

/** The weights of a handed-in run, copied so they outlive the run. Never sent to a student's browser but their own. */
export const submissionWeights = pgTable('submission_weights', {
  submissionId: uuid('submission_id')
    .primaryKey()
    .references(() => submissions.id, { onDelete: 'cascade' }),
  modelTopology: jsonb('model_topology').notNull(),
  weightSpecs: jsonb('weight_specs').$type<unknown[]>().notNull(),
  weightData: bytea('weight_data').notNull(),
});

/**
 * A teacher's overall comment and mark on one hand-in. A draft until `returnedAt` is set:
 * only then does the student see it (and any comments) in their copy of the notebook.
 */
export const submissionFeedback = pgTable('submission_feedback', {
  submissionId: uuid('submission_id')
    .primaryKey()
    .references(() => submissions.id, { onDelete: 'cascade' }),
  /** Who wrote it last (the class's teacher, or an admin). */
  teacherId: uuid('teacher_id').references(() => users.id, { onDelete: 'set null' }),
  comment: text('comment').notNull().default(''),
  /** As the teacher writes marks: "7/10", "B+", "Merit". */
  mark: text('mark'),
  returnedAt: timestamp('returned_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A teacher's comment on one cell (and, where it helps, one block in it) of a hand-in, by stable ids. */
export const feedbackComments = pgTable(
  'feedback_comments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    submissionId: uuid('submission_id')
      .notNull()
      .references(() => submissions.id, { onDelete: 'cascade' }),
    cellId: text('cell_id').notNull(),
    blockId: text('block_id'),
    body: text('body').notNull(),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('feedback_comments_submission_idx').on(t.submissionId, t.createdAt)],
);
