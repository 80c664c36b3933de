package io.deepad4j.models;

import io.deepad4j.engine.Device;
import io.deepad4j.engine.EpochListener;

/** What a detector needs from the run around it: seed, threads, device, and who hears about epochs. */
public record RunContext(long seed, int threads, Device device, EpochListener listener) {
  public static RunContext cpu(long seed) {
    return new RunContext(seed, 1, Device.CPU, EpochListener.NONE);
  }
}
