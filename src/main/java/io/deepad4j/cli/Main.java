package io.deepad4j.cli;

public final class Main {
  public static void main(String[] args) {
    System.out.println(org.tensorflow.TensorFlow.version());
  }
}
