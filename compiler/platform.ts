/** What the training loop needs of the place it runs in (a Web Worker, Node): a clock and a way to yield. */
export interface TrainPlatform {
  now(): number;
  /** Let the event loop run (messages, UI); resolves soon. */
  yield(): Promise<void>;
}
