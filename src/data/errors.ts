/**
 * DataFormatError: the one error type the platform-free parsers throw. Its message
 * names the file and what is wrong with it ("train-images-idx3-ubyte.gz: expected
 * magic 0x00000803, found 0x00000801"), so the registry can hand it to a person as a
 * 'bad-dataset' diagnostic without any stack trace.
 */
export class DataFormatError extends Error {
  /** The file (or label) the problem was found in. */
  readonly file: string;

  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'DataFormatError';
    this.file = file;
  }
}

/** Hex with 8 digits, as magic numbers are usually written. */
export function hex32(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}
