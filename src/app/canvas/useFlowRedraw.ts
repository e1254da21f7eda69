/**
 * Drawing that follows React Flow's store, for the canvases drawn beside it (far-zoom
 * edges, the overview map): `draw` runs at most once per frame, after the nodes, the view
 * or the pane's size changed. Node moves, measured ports, pans, zooms and resizes all go
 * through the store. The returned function asks for a redraw for anything else.
 */
import { useCallback, useEffect, useRef } from 'react';
import { useStoreApi } from '@xyflow/react';
import type { FlowNode } from './derive';

export type FlowState = ReturnType<ReturnType<typeof useStoreApi<FlowNode>>['getState']>;

export function useFlowRedraw(draw: (state: FlowState) => void): () => void {
  const flow = useStoreApi<FlowNode>();
  // The latest `draw`, so it may read the latest props.
  const drawRef = useRef(draw);
  drawRef.current = draw;
  const requestRef = useRef(() => {});
  useEffect(() => {
    let frame = 0;
    const run = () => {
      frame = 0;
      drawRef.current(flow.getState());
    };
    const request = () => {
      if (!frame) frame = requestAnimationFrame(run);
    };
    requestRef.current = request;
    request();
    const unsubscribe = flow.subscribe((s, prev) => {
      if (
        s.nodes !== prev.nodes ||
        s.nodeLookup !== prev.nodeLookup ||
        s.transform !== prev.transform ||
        s.width !== prev.width ||
        s.height !== prev.height
      )
        request();
    });
    return () => {
      unsubscribe();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [flow]);
  return useCallback(() => requestRef.current(), []);
}
