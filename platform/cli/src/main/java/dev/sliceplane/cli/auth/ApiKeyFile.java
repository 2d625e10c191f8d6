package dev.sliceplane.cli.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import dev.sliceplane.cli.CliException;

/** Reads an API key kept in a file (the node writes the admin's to {@code <data>/accounts/admin-api-key}). */
public final class ApiKeyFile {

    private ApiKeyFile() {
    }

    public static LoginSecret.ApiKey read(Path file) {
        String key;
        try {
            key = Files.readString(file).strip();
        } catch (NoSuchFileException e) {
            throw new CliException("the API key file " + file + " does not exist");
        } catch (IOException e) {
            throw new CliException("cannot read the API key file " + file + ": " + e.getMessage());
        }
        if (key.isEmpty() || key.lines().count() > 1) {
            throw new CliException("the API key file " + file + " must hold one API key on one line");
        }
        return new LoginSecret.ApiKey(key);
    }
}
