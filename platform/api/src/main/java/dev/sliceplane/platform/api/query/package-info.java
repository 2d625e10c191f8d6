/**
 * The query language shared by the broker ({@code where} of a ticket request), the monitor
 * ({@code select=..&where=..&sort=..&limit=..}) and discovery: conjunctions of comparisons over a
 * row's named attributes, sort specs and limits.
 *
 * <p>Grammar: {@code where := term ("and" term)*}, {@code term := attribute op value}, {@code op}
 * one of {@code = != < <= > >=}, {@code value} a number with an optional unit ({@code KiB MiB GiB
 * TiB} powers of 1024, {@code KB MB GB TB} powers of 1000, {@code %} hundredths), a bare word
 * ({@code planetlab1.cs.example.org}) or a quoted string ({@code 'a b'}, {@code "a b"}, a
 * backslash escapes the quote). Sort: {@code -cpu_free,hostname} (a leading {@code -} sorts
 * descending). The caller declares which attributes exist and their types in a {@link QuerySchema};
 * everything else is an {@link InvalidQueryException} naming the bad term and its position, which
 * HTTP endpoints answer as 400 with problem type {@code invalid-query}.
 */
@Export
@Version("1.0.0")
package dev.sliceplane.platform.api.query;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
