/**
 * Messages between the training panel and the training worker. Everything is plain
 * structured-clone data; problems travel as Diagnostic values, never as exceptions.
 */
import type { Diagnostic } from '../../document/diagnostics';
import type { GraphDocument } from '../../document/graph';
import type { EpochMetrics, StepMetrics, TrainSettings } from '../../compiler/4-train';
import type { Fallback } from '../platform/tf-browser';
import type { NamedArray } from '../platform/weights';
import type { ResearchMessage, ResearchReply } from './research-protocol';
import type { DatasetSpec } from './dataset-spec';

export type { DatasetSpec } from './dataset-spec';

export interface StartRequest {
  type: 'start';
  doc: GraphDocument;
  dataset: DatasetSpec;
  settings: TrainSettings;
  /** 'auto' or one of webgpu, webgl, wasm, cpu. */
  backend: string;
  /** Post filter snapshots every this many steps (0: only at epoch ends). */
  snapshotEvery: number;
  /** Start from these weights (loaded in the app) instead of the seeded initialization. */
  weights?: NamedArray[];
  /**
   * Do not train: build the model (from `weights` when given), evaluate it on the test
   * split and keep it, so the filter gallery, feature maps and checks show it.
   */
  evaluateOnly?: boolean;
}

export type ToWorker =
  | StartRequest
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  /** Feature maps of `nodeId` for test image `index` (of the current run). */
  | { type: 'feature-maps'; nodeId: string; index: number }
  /** Recompute `nodeId` on the CPU backend for `count` test images and compare. */
  | { type: 'verify'; nodeId: string; count: number }
  /** The research instruments (research-protocol.ts). */
  | ResearchMessage;

/** One image as the panel draws it: H*W*C values in [0,1]. */
export interface ImageData01 {
  width: number;
  height: number;
  channels: number;
  pixels: Float32Array;
}

export interface FilterSnapshot {
  nodeId: string;
  nodeType: string;
  /** Filter side lengths and count. */
  height: number;
  width: number;
  count: number;
  /** count filters, each height*width values, filter-major. */
  real: Float32Array;
  /** Absent for real-valued filters (Conv2D). */
  imag?: Float32Array;
  /** |DFT| of each filter (fourierHeight x fourierWidth each), zero frequency at the centre. */
  fourier: Float32Array;
  fourierHeight: number;
  fourierWidth: number;
  /** The filters as first built (the wired Morlet filters of a learned-from-wavelets node). */
  initialReal?: Float32Array;
  initialImag?: Float32Array;
  trainable: boolean;
  step: number;
}

export interface FeatureMapsReply {
  nodeId: string;
  index: number;
  port: string;
  /** [H, W, C] of the node's output. */
  height: number;
  width: number;
  channels: number;
  /** Channel-last values; complex maps hold C/2 real channels then C/2 imaginary ones. */
  values: Float32Array;
  complex: boolean;
}

/** How far the training backend's output of a node is from the CPU backend's. */
export interface VerifyReply {
  nodeId: string;
  backend: string;
  count: number;
  /** ||ours - cpu|| / ||cpu|| over the whole batch. */
  relError: number;
  maxAbsError: number;
}

export type FromWorker =
  | {
      type: 'backend';
      backend: string;
      fallbacks: Fallback[];
      /** WASM only: the threaded binary or not, and its threads. */
      wasm?: { threaded: boolean; threads: number };
    }
  | { type: 'status'; phase: 'loading-data' | 'compiling' | 'precomputing' | 'training' | 'paused'; message: string }
  /** A long step before training (the frozen front end): what, and how far (done of total). */
  | { type: 'work'; what: string; done: number; total: number; unit?: string }
  | {
      type: 'dataset';
      name: string;
      classNames: string[];
      trainCount: number;
      testCount: number;
      shape: [number, number, number];
      /** The first test images, in the order samplePredictions refer to them. */
      samples: ImageData01[];
      sampleLabels: number[];
      stepsPerEpoch: number;
      epochs: number;
    }
  | { type: 'step'; metrics: StepMetrics; globalStep: number }
  | { type: 'epoch'; metrics: EpochMetrics }
  | { type: 'filters'; snapshots: FilterSnapshot[] }
  | { type: 'feature-maps'; reply: FeatureMapsReply }
  | { type: 'verify'; reply: VerifyReply }
  | { type: 'diagnostics'; diagnostics: Diagnostic[] }
  | { type: 'done'; status: 'completed' | 'stopped' | 'diverged' | 'failed'; finalTestAcc: number }
  | ResearchReply;
