/**
 * Debounced saving with optimistic concurrency. Kept free of React so its timing rules —
 * one save in flight at a time, each save carrying the version the previous one returned,
 * and nothing more once the server reports a conflict — can be tested with fake timers.
 */
export type SaveStatus = 'saved' | 'pending' | 'saving' | 'conflict' | 'error';

export interface SaveState {
  status: SaveStatus;
  /** What went wrong, for 'conflict' and 'error'; null otherwise. */
  message: string | null;
  /** For an 'error' the server answered with a wait (429 Retry-After): the next save starts after it, by itself. */
  retryInMs?: number;
}

export interface SaveFailure {
  /** True when someone else saved a newer version; retrying would overwrite their work. */
  conflict: boolean;
  message: string;
  /** How long the server asked us to wait (Retry-After), when it did. */
  retryAfterMs?: number | null;
}

export interface AutosaverOptions<D> {
  version: number;
  save: (doc: D, version: number) => Promise<{ version: number }>;
  describeError: (error: unknown) => SaveFailure;
  onState: (state: SaveState) => void;
  delayMs?: number;
  /** How long to wait before trying again after a failure that is not a conflict (e.g. offline). */
  retryMs?: number;
}

export const AUTOSAVE_DELAY_MS = 800;
const RETRY_MS = 5000;
/**
 * The longest wait a Retry-After is followed for: the save limit counts per minute, so a
 * longer one is a mistake somewhere (a proxy), and a student's work must not sit unsaved for it.
 */
export const MAX_RETRY_AFTER_MS = 2 * 60_000;

export class Autosaver<D> {
  private version: number;
  private pending: D | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight: Promise<void> | null = null;
  private state: SaveState = { status: 'saved', message: null };
  private disposed = false;
  /** While the server's Retry-After runs (a Date.now() time), no save is sent, not even for new edits. */
  private waitUntil = 0;

  constructor(private readonly options: AutosaverOptions<D>) {
    this.version = options.version;
  }

  get currentState(): SaveState {
    return this.state;
  }

  get currentVersion(): number {
    return this.version;
  }

  hasUnsavedChanges(): boolean {
    return this.pending !== null || this.inFlight !== null;
  }

  /** Record the newest content; it is saved once edits pause for the debounce delay. */
  edit(doc: D): void {
    if (this.disposed || this.state.status === 'conflict') return;
    this.pending = doc;
    // The sentence saying how long the server asked us to wait stays until the wait is over.
    if (this.state.status !== 'saving' && !this.waitingForServer()) this.setState({ status: 'pending', message: null });
    this.schedule(this.options.delayMs ?? AUTOSAVE_DELAY_MS);
  }

  /** Save now (e.g. before training, which reads the stored notebook) and report how it went. */
  async flush(): Promise<SaveState> {
    // The server said when it takes saves again; asking sooner only gets the same answer.
    if (this.waitingForServer()) return this.state;
    this.clearTimer();
    while (!this.disposed && this.state.status !== 'conflict') {
      if (this.inFlight) await this.inFlight;
      else if (this.pending !== null) await this.saveNow();
      else break;
      if (this.state.status === 'error') break;
    }
    return this.state;
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimer();
  }

  private waitingForServer(): boolean {
    return Date.now() < this.waitUntil;
  }

  private schedule(ms: number): void {
    this.clearTimer();
    const delay = Math.max(ms, this.waitUntil - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      // A save already running picks the newer content up when it finishes.
      if (!this.inFlight) void this.saveNow();
    }, delay);
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private saveNow(): Promise<void> {
    const doc = this.pending;
    if (doc === null || this.disposed) return Promise.resolve();
    this.pending = null;
    this.setState({ status: 'saving', message: null });
    const run = this.options
      .save(doc, this.version)
      .then(
        (result) => {
          this.version = result.version;
          if (this.pending !== null) {
            this.setState({ status: 'pending', message: null });
            this.schedule(0);
          } else {
            this.setState({ status: 'saved', message: null });
          }
        },
        (error: unknown) => {
          const failure = this.options.describeError(error);
          if (failure.conflict) {
            this.pending = null;
            this.clearTimer();
            this.setState({ status: 'conflict', message: failure.message });
            return;
          }
          // Keep the newest content: edits made while this save failed win over `doc`.
          this.pending ??= doc;
          const serverWait = failure.retryAfterMs && failure.retryAfterMs > 0 ? Math.min(failure.retryAfterMs, MAX_RETRY_AFTER_MS) : null;
          if (serverWait === null) {
            this.setState({ status: 'error', message: failure.message });
            this.schedule(this.options.retryMs ?? RETRY_MS);
            return;
          }
          this.waitUntil = Date.now() + serverWait;
          this.setState({ status: 'error', message: failure.message, retryInMs: serverWait });
          this.schedule(serverWait);
        },
      )
      .finally(() => {
        this.inFlight = null;
      });
    this.inFlight = run;
    return run;
  }

  private setState(state: SaveState): void {
    if (this.disposed) return;
    if (state.status === this.state.status && state.message === this.state.message && state.retryInMs === this.state.retryInMs) return;
    this.state = state;
    this.options.onState(state);
  }
}
