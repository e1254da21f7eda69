/** The first test images with the model's guesses; click one to pick it for the feature maps. */
import { useEffect, useRef } from 'react';
import type { ImageData01 } from '../../worker/protocol';
import { drawImage } from '../inside/draw';

function Thumb({ image }: { image: ImageData01 }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (ref.current) drawImage(ref.current, image.pixels, image.width, image.height, image.channels);
  }, [image]);
  return <canvas ref={ref} />;
}

export function PredictionGrid(props: {
  samples: ImageData01[];
  labels: number[];
  predictions?: number[];
  classNames: string[];
  selected: number | null;
  onSelect(i: number): void;
}) {
  const { samples, labels, predictions, classNames, selected, onSelect } = props;
  return (
    <div className="predictions" data-testid="prediction-grid">
      {samples.map((img, i) => {
        const p = predictions?.[i];
        const right = p !== undefined && p === labels[i];
        return (
          <button
            key={i}
            className={`prediction ${p === undefined ? '' : right ? 'right' : 'wrong'} ${selected === i ? 'selected' : ''}`}
            data-testid={`prediction-${i}`}
            title={`true: ${classNames[labels[i]]}${p === undefined ? '' : `\npredicted: ${classNames[p]}`}\nClick, then click a node to see its feature maps.`}
            onClick={() => onSelect(i)}
          >
            <Thumb image={img} />
            <span>{p === undefined ? classNames[labels[i]] : classNames[p]}</span>
          </button>
        );
      })}
    </div>
  );
}
