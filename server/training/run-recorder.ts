/**
 * Records outcomes through the RunSink in order per run (started → epochs → one final call),
 * each call after the previous one settled; a failing sink is logged, never fatal.
 */
export class RunRecorder {
  private readonly chains = new Map<string, Promise<void>>();

  /** last: the run's final call, after which its chain is let go. */
  record(runId: string, call: () => Promise<void>, last = false): Promise<void> {
    const previous = this.chains.get(runId) ?? Promise.resolve();
    const next = previous.then(call).catch((error) => console.error(`[training] recording run ${runId} failed:`, error));
    this.chains.set(runId, next);
    if (last) void next.then(() => this.chains.get(runId) === next && this.chains.delete(runId));
    return next;
  }

  /** Resolves when every call made so far has settled. */
  async settled(): Promise<void> {
    await Promise.all(this.chains.values());
  }
}
