package dev.sliceplane.vmm.process.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The output of the shell's {@code times} built-in, which a supervisor writes when its
 * program ends: its own user and system time on the first line, its reaped children's (the
 * program and everything the program reaped) on the second, as {@code 0m1.230000s}.
 *
 * @param ownSeconds   the supervisor's own user + system time
 * @param childSeconds its children's user + system time
 */
record SupervisorTimes(double ownSeconds, double childSeconds) {

    private static final Pattern TIME = Pattern.compile("(\\d+)m([0-9.]+)s");

    static Optional<SupervisorTimes> read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Optional<SupervisorTimes> parse(String text) {
        List<Double> seconds = new ArrayList<>();
        Matcher m = TIME.matcher(text);
        while (m.find()) {
            seconds.add(Long.parseLong(m.group(1)) * 60 + Double.parseDouble(m.group(2)));
        }
        if (seconds.size() < 4) {
            return Optional.empty();
        }
        return Optional.of(new SupervisorTimes(seconds.get(0) + seconds.get(1), seconds.get(2) + seconds.get(3)));
    }
}
