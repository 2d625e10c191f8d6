package dev.sliceplane.accounts.internal.credentials;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.jose.Ed25519PublicKey;
import dev.sliceplane.jose.Jws;

/**
 * The authority's key pairs on disk, one file per key in a directory only the owner may enter
 * (0700; files 0600, written to a temporary file and moved into place so a crash leaves either
 * the old or the new file). On first start a key is generated; later starts reload them.
 *
 * <p>{@link #rotate} makes a new current key and gives the previous one a retire time (now plus
 * the longest token lifetime, or that long after the last expiry of a long-lived credential it
 * signed through {@link #signLongLived}, whichever is later): it is published until then, so what
 * it signed keeps verifying until it expires, and it is deleted once that time has passed. At most {@code keep} retired
 * keys are kept. Thread-safe: the published list is an immutable snapshot replaced under the lock.
 */
public final class KeyRing implements VerificationKeys {

    private static final Logger LOG = LoggerFactory.getLogger(KeyRing.class);
    private static final String SUFFIX = ".key";

    private final Path directory;
    private final int keep;
    private final SecureRandom random;

    // Newest first; the first is the current key. Replaced (never mutated) under this.
    private volatile List<SigningKey> keys;

    private KeyRing(Path directory, int keep, SecureRandom random, List<SigningKey> keys) {
        this.directory = directory;
        this.keep = keep;
        this.random = random;
        this.keys = keys;
    }

    /** Loads the keys in {@code directory}, creating it and a first key if there are none. */
    public static KeyRing open(Path directory, int keep, SecureRandom random, Instant now) {
        try {
            PrivateFiles.ensureDirectory(directory);
            List<SigningKey> loaded = new ArrayList<>();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
                for (Path file : files) {
                    loaded.add(read(file));
                }
            }
            loaded.sort(Comparator.comparing(SigningKey::created).reversed());
            KeyRing ring = new KeyRing(directory, keep, random, List.copyOf(loaded));
            if (loaded.isEmpty() || loaded.get(0).retires() != null) {
                ring.addCurrent(now);
                LOG.info("Created the authority's signing key {} in {}", ring.current().kid(), directory);
            }
            ring.prune(now);
            return ring;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the authority's keys in " + directory, e);
        }
    }

    /** The key that signs new tokens. */
    public SigningKey current() {
        return keys.get(0);
    }

    /** The keys to publish at {@code now}: the current one and those not yet retired, newest first. */
    public List<SigningKey> published(Instant now) {
        List<SigningKey> all = keys;
        List<SigningKey> live = new ArrayList<>(all.size());
        for (SigningKey key : all) {
            if (key.retires() == null || key.retires().isAfter(now)) {
                live.add(key);
            }
        }
        return live;
    }

    /** A published key by id, or null. */
    public SigningKey find(String kid, Instant now) {
        for (SigningKey key : keys) {
            if (key.kid().equals(kid)) {
                return key.retires() == null || key.retires().isAfter(now) ? key : null;
            }
        }
        return null;
    }

    @Override
    public Ed25519PublicKey verificationKey(String kid, Instant now) {
        SigningKey key = find(kid, now);
        return key == null ? null : key.publicKey();
    }

    /**
     * Makes a new current key; the previous one is published until {@code now + publishFor}
     * (the longest lifetime of a token it signed).
     */
    public synchronized SigningKey rotate(Instant now, Duration publishFor) {
        SigningKey previous = current();
        try {
            Instant from = previous.signedUntil() != null && previous.signedUntil().isAfter(now) ? previous.signedUntil() : now;
            SigningKey retired = previous.retiring(from.plus(publishFor));
            write(retired);
            List<SigningKey> next = new ArrayList<>(keys);
            next.set(0, retired);
            keys = List.copyOf(next);
            addCurrent(now);
            prune(now);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rotate the authority's key in " + directory, e);
        }
        LOG.info("Rotated the authority's signing key: {} is current, {} retires at {}", current().kid(),
                previous.kid(), keys.get(1).retires());
        return current();
    }

    /**
     * Signs, with the current key, something valid until {@code expires} that outlives access
     * tokens (a node credential, an agent certificate): first records that expiry with the key, on
     * disk, so that when the key retires it stays published until then. The expiry is recorded
     * rounded up to the hour, so the file is rewritten at most once an hour however often this
     * signs. Under the ring's lock, so a rotation cannot come between the record and the signature.
     */
    public synchronized <T> T signLongLived(Instant expires, Function<SigningKey, T> signer) {
        SigningKey key = current();
        if (key.signedUntil() == null || key.signedUntil().isBefore(expires)) {
            Instant hour = expires.truncatedTo(ChronoUnit.HOURS);
            key = key.signedUntil(hour.equals(expires) ? hour : hour.plus(Duration.ofHours(1)));
            try {
                write(key);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot record the use of the authority's key in " + directory, e);
            }
            List<SigningKey> next = new ArrayList<>(keys);
            next.set(0, key);
            keys = List.copyOf(next);
        }
        return signer.apply(key);
    }

    /** Rotates when the current key is older than {@code maxAge}. Returns whether it did. */
    public synchronized boolean rotateIfOlder(Duration maxAge, Instant now, Duration publishFor) {
        if (current().created().plus(maxAge).isAfter(now)) {
            return false;
        }
        rotate(now, publishFor);
        return true;
    }

    private void addCurrent(Instant now) throws IOException {
        SigningKey key = SigningKey.generate(random, now);
        write(key);
        List<SigningKey> next = new ArrayList<>(keys.size() + 1);
        next.add(key);
        next.addAll(keys);
        keys = List.copyOf(next);
    }

    /** Drops keys past their retire time, and retired keys beyond the {@code keep} newest. */
    private synchronized void prune(Instant now) throws IOException {
        List<SigningKey> next = new ArrayList<>();
        int retired = 0;
        for (SigningKey key : keys) {
            boolean drop = key.retires() != null && (!key.retires().isAfter(now) || ++retired > keep);
            if (drop) {
                Files.deleteIfExists(file(key));
            } else {
                next.add(key);
            }
        }
        keys = List.copyOf(next);
    }

    private Path file(SigningKey key) {
        return directory.resolve(key.created().toEpochMilli() + "-" + key.kid() + SUFFIX);
    }

    private void write(SigningKey key) throws IOException {
        Properties p = new Properties();
        p.setProperty("kid", key.kid());
        p.setProperty("created", key.created().toString());
        if (key.retires() != null) {
            p.setProperty("retires", key.retires().toString());
        }
        if (key.signedUntil() != null) {
            p.setProperty("signedUntil", key.signedUntil().toString());
        }
        p.setProperty("d", Jws.B64.encodeToString(key.seed()));
        p.setProperty("x", key.x());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.store(out, "Sliceplane authority Ed25519 key: private, never copy it off this host");
        PrivateFiles.write(file(key), out.toByteArray());
    }

    private static SigningKey read(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        try {
            byte[] d = Base64.getUrlDecoder().decode(p.getProperty("d"));
            String retires = p.getProperty("retires");
            String signedUntil = p.getProperty("signedUntil");
            SigningKey key = new SigningKey(d, Instant.parse(p.getProperty("created")),
                    retires == null ? null : Instant.parse(retires), signedUntil == null ? null : Instant.parse(signedUntil));
            if (!key.kid().equals(p.getProperty("kid"))) {
                throw new IOException("key file " + file + " is inconsistent: its kid does not match its key");
            }
            return key;
        } catch (RuntimeException e) {
            throw new IOException("key file " + file + " is damaged: " + e.getClass().getSimpleName(), e);
        }
    }

}
