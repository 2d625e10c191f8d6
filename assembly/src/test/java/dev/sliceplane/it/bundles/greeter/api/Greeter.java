package dev.sliceplane.it.bundles.greeter.api;

/** A test sub-service API with two implementations. */
public interface Greeter {

    /** Greets; the answer names the implementation, such as {@code a:world}. */
    String greet(String name);
}
