package io.deepad4j.models;

/** Scores raw (unscaled) rows; higher = more anomalous. */
public interface Scorer extends AutoCloseable {
  double[] score(float[][] rows);

  @Override
  default void close() {}
}
