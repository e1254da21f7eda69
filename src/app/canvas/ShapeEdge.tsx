/** An edge drawn in its tensor kind's colour and labelled with the shape it carries. */
import { memo, useContext } from 'react';
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { FarContext } from './store-context';
import { edgeColour, shapeLabel } from '../kinds';
import type { FlowEdge } from './derive';

function ShapeEdgeView({
  id,
  sourceX,
  sourceY,
  targetX,
  targetY,
  sourcePosition,
  targetPosition,
  data,
  selected,
}: EdgeProps<FlowEdge>) {
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const spec = data?.spec;
  const far = useContext(FarContext);
  const colour = edgeColour(data);
  return (
    <g data-testid={`edge-${id}`}>
      <BaseEdge
        id={id}
        path={path}
        style={{ stroke: colour, strokeWidth: selected ? 3 : 2, strokeDasharray: spec ? undefined : '5 4' }}
      />
      <EdgeLabelRenderer>
        {!far && (spec || data?.invalid) && (
          <div
            className={`edge-label ${selected ? 'edge-label-selected' : ''} ${data?.invalid ? 'edge-label-invalid' : ''}`}
            data-testid={`edge-label-${id}`}
            title={data?.invalid ?? `${spec!.kind} [${spec!.shape.join(', ')}]`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)`, borderColor: colour }}
          >
            {data?.invalid ? '⚠' : shapeLabel(spec)}
          </div>
        )}
      </EdgeLabelRenderer>
    </g>
  );
}

export const ShapeEdge = memo(ShapeEdgeView);
