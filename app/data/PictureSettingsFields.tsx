'use client';

import type { PictureSettings } from './upload';

/** Name, size and colour of a picture dataset: the same choices for a zip and for pictures picked class by class. */
export function PictureSettingsFields({ idPrefix, settings, onChange }: { idPrefix: string; settings: PictureSettings; onChange: (patch: Partial<PictureSettings>) => void }) {
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-name`}>Dataset name</label>
        <input id={`${idPrefix}-name`} value={settings.name} maxLength={100} onChange={(e) => onChange({ name: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-size`}>Picture size (every picture is resized to this)</label>
        <select id={`${idPrefix}-size`} value={settings.size} onChange={(e) => onChange({ size: Number(e.target.value) as PictureSettings['size'] })}>
          <option value={28}>28 × 28 pixels (like MNIST, fastest)</option>
          <option value={32}>32 × 32 pixels</option>
          <option value={64}>64 × 64 pixels (more detail, slower)</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-color`}>Colour</label>
        <select id={`${idPrefix}-color`} value={settings.color} onChange={(e) => onChange({ color: e.target.value as PictureSettings['color'] })}>
          <option value="grayscale">Grey (1 channel)</option>
          <option value="rgb">Colour (3 channels: red, green, blue)</option>
        </select>
      </div>
    </>
  );
}
