import type { Metadata } from 'next';
import { layerReference, type LayerEntry } from './reference';
import './layers.css';

export const metadata: Metadata = {
  title: 'Layer reference',
  description: 'Every layer block in Layerbook: what it does, its Keras and TensorFlow.js names, and every setting.',
};

// Built from the catalogue: the same data the blocks are made from. Rendered per request like
// every page, since a page built once could not carry each response's script nonce.

export default function LayerReferencePage() {
  const sections = layerReference();
  const layerCount = sections.reduce((n, s) => n + s.layers.length, 0);
  return (
    <div className="layer-ref">
      <header className="layer-ref__head">
        <h1 className="layer-ref__title">Layer reference</h1>
        <p className="layer-ref__lead">
          All {layerCount} layer blocks, grouped like the toolbox. Each one lists its name in Keras (Python) and
          TensorFlow.js and every setting on the block. Settings marked <span className="layer-ref__advanced">more options</span> are
          hidden until you tick “more options” on the block.
        </p>
      </header>

      <nav className="layer-ref__toc" aria-label="Layer categories">
        <ul>
          {sections.map((section) => (
            <li key={section.key}>
              <a href={`#category-${section.key}`}>
                <span className="layer-ref__swatch" style={{ background: section.colour }} aria-hidden="true" />
                {section.label}
              </a>
              <ul>
                {section.layers.map((layer) => (
                  <li key={layer.key}>
                    <a href={`#${layer.anchor}`}>{layer.label}</a>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </nav>

      <div className="layer-ref__body">
        {sections.map((section) => (
          <section key={section.key} className="layer-ref__category" aria-labelledby={`category-${section.key}`}>
            <h2 id={`category-${section.key}`} className="layer-ref__category-title">
              <span className="layer-ref__swatch" style={{ background: section.colour }} aria-hidden="true" />
              {section.label}
            </h2>
            <p className="layer-ref__category-doc">{section.doc}</p>
            {section.layers.map((layer) => (
              <LayerArticle key={layer.key} layer={layer} />
            ))}
          </section>
        ))}
      </div>
    </div>
  );
}

function LayerArticle({ layer }: { layer: LayerEntry }) {
  const titleId = `${layer.anchor}-title`;
  return (
    <article id={layer.anchor} className="layer-ref__layer" aria-labelledby={titleId}>
      <h3 id={titleId} className="layer-ref__layer-title">
        <a href={`#${layer.anchor}`} className="layer-ref__permalink">
          {layer.label}
        </a>
      </h3>
      <p>{layer.doc}</p>
      <dl className="layer-ref__names">
        <div>
          <dt>Keras</dt>
          <dd>
            <code>keras.layers.{layer.kerasClass}</code>
          </dd>
        </div>
        <div>
          <dt>TensorFlow.js</dt>
          <dd>{layer.tfjsFactory ? <code>{layer.tfjsFactory}</code> : <span>none: the model’s input shape is given to its first layer</span>}</dd>
        </div>
      </dl>
      {layer.arguments.length === 0 ? (
        <p className="hint">This block has no settings.</p>
      ) : (
        <div className="table-scroll">
          <table className="layer-ref__args">
            <caption className="visually-hidden">Settings of the {layer.label} block</caption>
            <thead>
              <tr>
                <th scope="col">Setting</th>
                <th scope="col">Type</th>
                <th scope="col">Default</th>
                <th scope="col">Allowed</th>
                <th scope="col">What it does</th>
              </tr>
            </thead>
            <tbody>
              {layer.arguments.map((arg) => (
                <tr key={arg.name}>
                  <th scope="row">
                    <code>{arg.name}</code>
                    {arg.advanced && <span className="layer-ref__advanced">more options</span>}
                  </th>
                  <td>{arg.type}</td>
                  <td>
                    <code>{arg.default}</code>
                  </td>
                  <td className="layer-ref__range">{arg.range}</td>
                  <td>{arg.doc}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}
