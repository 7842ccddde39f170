/**
 * Stored specs are read through here, never parsed directly, so a spec saved by an older
 * Layerbook is upgraded step by step to SPEC_VERSION before anything else sees it.
 */
import { SPEC_VERSION, modelSpecSchema, type ModelSpec } from './model-spec';

/**
 * MIGRATIONS[n] turns a version-n spec into a version-(n+1) spec. Empty while only
 * version 1 exists; when SPEC_VERSION becomes 2, add MIGRATIONS[1] here.
 */
const MIGRATIONS: Record<number, (old: Record<string, unknown>) => Record<string, unknown>> = {};

export class SpecMigrationError extends Error {
  override name = 'SpecMigrationError';
}

export function migrateSpec(stored: unknown): ModelSpec {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) {
    throw new SpecMigrationError('This is not a saved model: expected an object with a specVersion.');
  }
  let spec = stored as Record<string, unknown>;
  const version = spec.specVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new SpecMigrationError(`This saved model has no valid specVersion (found ${JSON.stringify(version) ?? 'nothing'}).`);
  }
  if (version > SPEC_VERSION) {
    throw new SpecMigrationError(
      `This saved model uses spec version ${version}, but this Layerbook only reads versions up to ${SPEC_VERSION}. Update Layerbook to open it.`,
    );
  }
  for (let v = version; v < SPEC_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) throw new SpecMigrationError(`No migration from spec version ${v} to ${v + 1}.`);
    spec = { ...step(spec), specVersion: v + 1 };
  }
  const parsed = modelSpecSchema.safeParse(spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    throw new SpecMigrationError(`This saved model is damaged${where}: ${issue?.message ?? 'unknown problem'}.`);
  }
  return parsed.data;
}
