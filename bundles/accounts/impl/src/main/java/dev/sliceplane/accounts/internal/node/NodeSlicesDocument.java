package dev.sliceplane.accounts.internal.node;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.accounts.api.NodeSlice;
import dev.sliceplane.accounts.api.PublicKey;
import dev.sliceplane.accounts.api.RegistryException;

/**
 * The body of {@code GET /api/v1/accounts/nodes/{hostname}/slices}: {@code {"slices": [{name,
 * description, url, expires, members, maxSlivers, memberKeys: {email: [PublicKey]}}]}}, written
 * and read here by hand so the authority's bytes (and so its ETag) depend only on the content,
 * and the node reads it strictly.
 */
public final class NodeSlicesDocument {

    private static final ObjectMapper JSON = new ObjectMapper();

    private NodeSlicesDocument() {
    }

    /** The document's bytes; equal content gives equal bytes (slices, members and keys are sorted). */
    public static byte[] write(List<NodeSlice> slices) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("slices");
        for (NodeSlice slice : slices) {
            ObjectNode s = list.addObject();
            s.put("name", slice.name());
            s.put("description", slice.description());
            s.put("url", slice.url());
            s.put("expires", slice.expires().toString());
            ArrayNode members = s.putArray("members");
            slice.members().forEach(members::add);
            s.put("maxSlivers", slice.maxSlivers());
            ObjectNode keys = s.putObject("memberKeys");
            slice.memberKeys().forEach((member, held) -> {
                ArrayNode array = keys.putArray(member);
                for (PublicKey key : held) {
                    ObjectNode k = array.addObject();
                    k.put("owner", key.owner());
                    k.put("type", key.type());
                    k.put("key", key.key());
                    k.put("fingerprint", key.fingerprint());
                }
            });
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the node's slices", e);
        }
    }

    /**
     * Reads a document.
     *
     * @throws IllegalArgumentException when it is not one (malformed JSON, missing or invalid fields)
     */
    public static List<NodeSlice> read(byte[] body) {
        try {
            JsonNode root = JSON.readTree(body);
            JsonNode list = root == null ? null : root.get("slices");
            if (list == null || !list.isArray()) {
                throw new IllegalArgumentException("no slices array");
            }
            List<NodeSlice> slices = new ArrayList<>();
            for (JsonNode s : list) {
                Set<String> members = new TreeSet<>();
                s.path("members").forEach(m -> members.add(m.asText()));
                Map<String, List<PublicKey>> keys = new LinkedHashMap<>();
                s.path("memberKeys").fields().forEachRemaining(entry -> {
                    List<PublicKey> held = new ArrayList<>();
                    for (JsonNode k : entry.getValue()) {
                        held.add(new PublicKey(text(k, "owner"), text(k, "type"), text(k, "key"), text(k, "fingerprint")));
                    }
                    keys.put(entry.getKey(), held);
                });
                slices.add(new NodeSlice(text(s, "name"), s.path("description").asText(""), s.path("url").asText(""),
                        Instant.parse(text(s, "expires")), members, s.path("maxSlivers").asInt(), keys));
            }
            return List.copyOf(slices);
        } catch (IOException | RegistryException | DateTimeParseException e) {
            throw new IllegalArgumentException("not a node slices document: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(field + " is missing");
        }
        return value.asText();
    }

}
