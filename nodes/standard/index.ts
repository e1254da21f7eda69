import type { AnyNodeDefinition } from '../types';
import { Input } from './input';
import { Conv2D } from './conv2d';
import { Dense } from './dense';
import { ReLU, Abs } from './elementwise';
import { AvgPool, MaxPool } from './pooling';
import { Flatten } from './flatten';
import { BatchNorm } from './batchnorm';
import { Dropout } from './dropout';
import { Add, Concat } from './merge';
import { SoftmaxCrossEntropy } from './loss';

export const standardNodes = [
  Input,
  Conv2D,
  Dense,
  ReLU,
  Abs,
  AvgPool,
  MaxPool,
  Flatten,
  BatchNorm,
  Dropout,
  Add,
  Concat,
  SoftmaxCrossEntropy,
] as unknown as AnyNodeDefinition[];
