package dev.sliceplane.cli;

import java.net.URI;
import java.net.URISyntaxException;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every command takes, before or after its noun and verb. */
public final class GlobalOptions {

    static final String DEFAULT_URL = "http://localhost:8080";

    @Option(names = "--url", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "The node's URL [$SLICEPLANE_URL, else " + DEFAULT_URL + "].")
    String url;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print the node's JSON instead of tables, for scripts.")
    boolean json;

    public boolean json() {
        return json;
    }

    /** The node's base URL, validated: http or https, a host, no path. */
    public URI nodeUrl(Environment env) {
        String given = url != null ? url : env.variable(Environment.URL).orElse(DEFAULT_URL);
        return parseNodeUrl(given);
    }

    /** The first argument that is neither a global option nor its value: the noun; null when there is none. */
    static String firstWord(String... args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--url")) {
                i++;
            } else if (!args[i].startsWith("-")) {
                return args[i];
            }
        }
        return null;
    }

    static URI parseNodeUrl(String given) {
        String text = given.strip();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw badUrl(given);
        }
        boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
        boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getUserInfo() == null;
        if (!http || uri.getHost() == null || !bare) {
            throw badUrl(given);
        }
        return uri;
    }

    private static CliException badUrl(String given) {
        return new CliException(ExitCodes.USAGE, "'" + given + "' is not a node URL; give one like http://node.example.org:8080");
    }
}
