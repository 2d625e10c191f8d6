package dev.sliceplane.jose;

/** A JWS that is malformed, of the wrong type, signed by an unknown key or badly signed. */
public class JwsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public JwsException(String message) {
        super(message);
    }
}
