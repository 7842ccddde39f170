'use client';

import { useId, useMemo, useState } from 'react';
import { GreyCanvas } from './GreyCanvas';
import { layerViews, weightPictures, type GreyImage, type LayerKernel, type LayerView } from './model-insides';
import type { TrainedModel } from './trained-model';

/**
 * "Look inside" under the model's answer: what each layer made of the drawing or picture file
 * (any height × width × channels: model-insides.ts shows each map of every channel), and the first
 * layer's weights as pictures. Closed at first, so the panel stays simple; the layers' outputs
 * are computed only while it is open, after each stroke.
 */
export function LookInside({ model, picture, example = 'drawing' }: { model: TrainedModel; picture: Float32Array | null; example?: 'drawing' | 'picture' }) {
  const [open, setOpen] = useState(false);
  const contentId = useId();
  return (
    <div className="look-inside">
      <button type="button" className="button" aria-expanded={open} aria-controls={contentId} onClick={() => setOpen((value) => !value)}>
        Look inside
      </button>
      <div id={contentId} className="look-inside__content" hidden={!open}>
        {open && <Insides model={model} picture={picture} example={example} />}
      </div>
    </div>
  );
}

function Insides({ model, picture, example }: { model: TrainedModel; picture: Float32Array | null; example: 'drawing' | 'picture' }) {
  const insides = useMemo(() => {
    try {
      return { views: picture ? layerViews(model.layerOutputs(picture)) : null, kernel: model.firstKernel() };
    } catch (error) {
      // A model TF.js cannot take apart layer by layer must not take the page down with it.
      return { problem: error instanceof Error ? error.message : String(error) };
    }
  }, [model, picture]);
  if ('problem' in insides) {
    return (
      <p role="alert" className="notice notice--error">
        Could not look inside this model ({insides.problem}). Its answers above still work.
      </p>
    );
  }
  const { views, kernel } = insides;
  return (
    <>
      <h4 className="look-inside__title">Inside your model</h4>
      {views ? (
        <>
          <p className="look-inside__intro">What each layer of your model makes of your {example}, from the first block to the last.</p>
          {views.map((view, index) => (
            <LayerSection key={index} view={view} />
          ))}
        </>
      ) : (
        <p className="look-inside__intro">{example === 'drawing' ? 'Draw something' : 'Choose a picture'} to see what each layer of your model makes of it.</p>
      )}
      {kernel && <WeightSection kernel={kernel} />}
    </>
  );
}

/** One layer: its heading (position and block), a sentence on what the squares mean, and its pictures. */
function LayerSection({ view }: { view: LayerView }) {
  const headingId = useId();
  const sentenceId = useId();
  const partly =
    view.kind === 'maps' && view.maps.length < view.total
      ? ` Here are the first ${view.maps.length} of its ${view.total} maps.`
      : view.kind === 'numbers' && view.shown < view.total
        ? ` Here are the first ${view.shown} of its ${view.total} numbers.`
        : '';
  return (
    <div className="look-inside__layer" role="group" aria-labelledby={headingId} aria-describedby={sentenceId}>
      <h5 id={headingId} className="look-inside__heading">
        {view.title}
      </h5>
      <p id={sentenceId} className="look-inside__sentence">
        {view.sentence}
        {partly}
      </p>
      {view.kind === 'maps' && <PictureGrid images={view.maps} names={view.maps.map((_, i) => `${view.mapWord} ${i + 1}`)} />}
      {view.kind === 'numbers' && (
        // Squares of 14 pixels each, never wider than the panel.
        <GreyCanvas image={view.strip} className="look-inside__strip" style={{ width: `min(100%, ${view.strip.width * 14}px)` }} />
      )}
    </div>
  );
}

/** The first layer with weights: each unit's (or filter's) weights as a picture, bright where they push it to fire. */
function WeightSection({ kernel }: { kernel: LayerKernel }) {
  const headingId = useId();
  const sentenceId = useId();
  const weights = useMemo(() => weightPictures(kernel), [kernel]);
  if (!weights) {
    return (
      <div className="look-inside__layer">
        <h5 className="look-inside__heading">Weights</h5>
        <p className="look-inside__sentence">
          The first layer with weights in your model is a {kernel.className}; its weights are not a picture of the drawing, so they are not drawn here.
        </p>
      </div>
    );
  }
  const word = weights.pictureWord.toLowerCase();
  const [first] = weights.pictures;
  const area = weights.pictureWord === 'Unit' ? 'this part of the picture' : `this part of the ${first!.width}×${first!.height} patch it looks at`;
  const shown = weights.pictures.length;
  return (
    <div className="look-inside__layer" role="group" aria-labelledby={headingId} aria-describedby={sentenceId}>
      <h5 id={headingId} className="look-inside__heading">
        Weights of your first {weights.block} layer
      </h5>
      <p id={sentenceId} className="look-inside__sentence">
        Each picture is one {word}&apos;s weights. Bright: {area} makes the {word} fire; dark: it holds it back; mid-grey: it hardly matters.
        {shown < weights.total ? ` Here are the first ${shown} of its ${weights.total} ${word}s.` : ''}
      </p>
      <PictureGrid images={weights.pictures} names={weights.pictures.map((_, i) => `${weights.pictureWord} ${i + 1}`)} wide={weights.pictureWord === 'Unit'} />
    </div>
  );
}

function PictureGrid({ images, names, wide = false }: { images: readonly GreyImage[]; names: readonly string[]; wide?: boolean }) {
  return (
    <ul className={wide ? 'look-inside__grid look-inside__grid--wide' : 'look-inside__grid'}>
      {images.map((image, index) => (
        <li key={index}>
          <figure className="look-inside__picture">
            <GreyCanvas image={image} />
            <figcaption aria-hidden="true">{names[index]}</figcaption>
          </figure>
        </li>
      ))}
    </ul>
  );
}
