package dev.interlock.ingest.source.boundary;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.interlock.model.IngressEvent;
import dev.interlock.model.Json;

/**
 * The committed position of a boundary-node source: per boundary node, the latest event timestamp published from its
 * stream and the ids of the events published at exactly that timestamp; and a batch counter that makes each batch's
 * cursor distinct.
 *
 * <p>A live stream cannot be replayed, so this is not a place to resume reading from: it lets the source recognise
 * lines it has already published when a stream repeats them (a relay or recorder that replays from its start, a
 * reconnect that overlaps), so that a restart publishes no duplicates of what was committed.
 *
 * <p>JSON: {@code {"v":1,"batch":12,"nodes":{"api1.example:443":{"t":1752739959964131788,"ids":["api1.example:443/0198..."]}}}}.
 */
final class BoundaryNodeCursor {
    /** Latest published timestamp of one node and the event ids at exactly that time. */
    record Mark(long t, Set<String> ids) {
        boolean covers(IngressEvent e) {
            return e.timeNanos() < t || (e.timeNanos() == t && ids.contains(e.id()));
        }

        static Mark of(IngressEvent e) {
            return new Mark(e.timeNanos(), Set.of(e.id()));
        }

        /** The later of two marks of one node; at the same time, the union of their ids. */
        static Mark later(Mark a, Mark b) {
            if (a.t != b.t) {
                return a.t > b.t ? a : b;
            }
            if (a.ids.containsAll(b.ids)) {
                return a;
            }
            return new Mark(a.t, union(a.ids, b.ids));
        }
    }

    private final long batch;
    private final Map<String, Mark> nodes;

    private BoundaryNodeCursor(long batch, Map<String, Mark> nodes) {
        this.batch = batch;
        this.nodes = nodes;
    }

    static BoundaryNodeCursor empty() {
        return new BoundaryNodeCursor(0, Map.of());
    }

    /** The marks per node. */
    Map<String, Mark> marks() {
        return java.util.Collections.unmodifiableMap(nodes);
    }

    /** The latest timestamp published from any node, or {@link Long#MIN_VALUE}. */
    long latest() {
        return nodes.values().stream().mapToLong(Mark::t).max().orElse(Long.MIN_VALUE);
    }

    /** True when an event with this node and id at this time has been published already. */
    boolean covers(IngressEvent e) {
        Mark m = nodes.get(e.boundaryNode());
        return m != null && m.covers(e);
    }

    /** This cursor advanced past {@code events} (in any order), as the next batch. */
    BoundaryNodeCursor after(Iterable<IngressEvent> events) {
        Map<String, Mark> next = new TreeMap<>(nodes);
        for (IngressEvent e : events) {
            next.merge(e.boundaryNode(), Mark.of(e), Mark::later);
        }
        return new BoundaryNodeCursor(batch + 1, next);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new TreeSet<>(a);
        s.addAll(b);
        return Set.copyOf(s);
    }

    String toJson() {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("v", 1);
        root.put("batch", batch);
        ObjectNode ns = root.putObject("nodes");
        for (Map.Entry<String, Mark> e : new TreeMap<>(nodes).entrySet()) {
            ObjectNode m = ns.putObject(e.getKey());
            m.put("t", e.getValue().t());
            ArrayNode ids = m.putArray("ids");
            new TreeSet<>(e.getValue().ids()).forEach(ids::add);
        }
        return root.toString();
    }

    /** Reads a cursor this class wrote; null gives the empty cursor. */
    static BoundaryNodeCursor parse(String json) {
        if (json == null) {
            return empty();
        }
        try {
            JsonNode root = Json.mapper().readTree(json);
            if (root == null || !root.isObject() || root.path("v").asInt() != 1 || !root.path("nodes").isObject()) {
                throw new IllegalArgumentException("not a version-1 boundary-node cursor");
            }
            Map<String, Mark> nodes = new TreeMap<>();
            var it = root.get("nodes").fields();
            while (it.hasNext()) {
                var e = it.next();
                JsonNode t = e.getValue().get("t");
                if (t == null || !t.isIntegralNumber()) {
                    throw new IllegalArgumentException("node " + e.getKey() + " has no timestamp t");
                }
                Set<String> ids = new TreeSet<>();
                e.getValue().path("ids").forEach(id -> ids.add(id.asText()));
                nodes.put(e.getKey(), new Mark(t.asLong(), Set.copyOf(ids)));
            }
            return new BoundaryNodeCursor(root.path("batch").asLong(0), nodes);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return toJson();
    }
}
