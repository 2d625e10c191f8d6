package dev.sliceplane.cli.commands;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import dev.sliceplane.cli.CliException;

/**
 * The OpenSSH public key line of a {@code .pub} file (or stdin for {@code -}): its first line that
 * is not blank or a comment. A private key is refused before anything leaves the machine.
 */
final class PublicKeyFile {

    private PublicKeyFile() {
    }

    static String read(String file, InputStream stdin) {
        String text;
        try {
            text = "-".equals(file) ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8) : Files.readString(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new CliException("the key file " + file + " does not exist");
        } catch (IOException e) {
            throw new CliException("cannot read the key file " + file + ": " + e.getMessage());
        }
        return line(text, file);
    }

    static String line(String text, String source) {
        if (text.contains("PRIVATE KEY")) {
            throw new CliException(source + " holds a private key; give the public one (the .pub file)");
        }
        return text.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .findFirst()
                .orElseThrow(() -> new CliException(source + " holds no public key line"));
    }
}
