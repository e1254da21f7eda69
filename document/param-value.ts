/** A node parameter's value in a graph document (its own module: the lesson schema names it too). */
export type ParamValue = number | string | boolean | number[];
