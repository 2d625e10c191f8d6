package dev.sliceplane.it.bundles.gate;

/** The API of the test sub-service "latecomer", whose only implementation needs the {@link Gate}. */
public interface Latecomer {

    /** Says it is there. */
    String hello();
}
