package dev.sliceplane.platform.api.security;

/** A credential that proves no one; the message says why without repeating the credential. */
public class AuthenticationException extends Exception {

    private static final long serialVersionUID = 1L;

    public AuthenticationException(String message) {
        super(message);
    }
}
