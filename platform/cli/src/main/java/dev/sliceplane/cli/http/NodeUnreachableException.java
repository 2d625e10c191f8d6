package dev.sliceplane.cli.http;

import java.net.URI;

import dev.sliceplane.cli.CliException;
import dev.sliceplane.cli.ExitCodes;

/** No HTTP answer came from the node: refused, unknown host, timed out, connection dropped. */
public final class NodeUnreachableException extends CliException {

    private static final long serialVersionUID = 1L;

    public NodeUnreachableException(URI node, String reason) {
        super(ExitCodes.UNREACHABLE, "cannot reach the node at " + node + " (" + reason + ")");
    }
}
