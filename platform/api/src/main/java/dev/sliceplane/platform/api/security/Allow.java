package dev.sliceplane.platform.api.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Who may call an endpoint method ({@code doGet}, {@code doPost}, ...) of an {@code ApiServlet}.
 * Without it, a reading method is open to any authenticated caller and a changing one to
 * administrators only. A caller without one of the roles gets 403 before the method runs;
 * administrators always pass.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Allow {

    /** Roles any one of which lets a caller in (besides administrators); empty for any authenticated caller. */
    String[] value() default {};
}
