package dev.sliceplane.it.bundles.gate;

/** A service that appears only once a test opens the gate: a dependency that is slow to arrive. */
public interface Gate {
}
