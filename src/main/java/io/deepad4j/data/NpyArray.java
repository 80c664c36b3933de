package io.deepad4j.data;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A 1-D or 2-D numeric NumPy array as {@link Npy} reads it: the values as doubles in row-major (C)
 * order whatever the file's order, with the shape and the dtype the file declared.
 *
 * @param where the file (and .npz entry) it came from, for messages
 * @param descr the file's dtype, e.g. {@code <f8}
 * @param shape one or two dimensions
 * @param values every element, row by row
 */
public record NpyArray(String where, String descr, int[] shape, double[] values) {

  /** Rows: the first dimension. */
  public int rows() {
    return shape[0];
  }

  /** Columns of a 2-D array; 1 for a 1-D array. */
  public int columns() {
    return shape.length == 2 ? shape[1] : 1;
  }

  /** The shape as Python prints it: {@code (3, 4)}, {@code (3,)}. */
  public String shapeText() {
    return shapeText(shape);
  }

  static String shapeText(int[] shape) {
    String inner = Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(", "));
    return "(" + inner + (shape.length == 1 ? ",)" : ")");
  }
}
