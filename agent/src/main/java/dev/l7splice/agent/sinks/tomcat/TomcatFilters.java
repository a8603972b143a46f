package dev.l7splice.agent.sinks.tomcat;

import dev.l7splice.agent.ends.Fields;
import dev.l7splice.agent.ends.Framing;

/**
 * Which of Tomcat's HTTP/1.1 output filters a committed response goes through, read from {@code
 * Http11OutputBuffer.activeFilters[0..lastActiveFilter]}. The kernel may write the body only when
 * exactly one is active and it is {@code IdentityOutputFilter} (a declared length: {@link
 * Framing#FIXED}; none, on a connection that closes after the body: {@link Framing#RAW}) or {@code
 * ChunkedOutputFilter}. A compression filter on top, {@code VoidOutputFilter} (HEAD, 304) or no
 * filter at all keep Tomcat's code.
 */
final class TomcatFilters {

    private static final String IDENTITY = "org.apache.coyote.http11.filters.IdentityOutputFilter";
    private static final String CHUNKED = "org.apache.coyote.http11.filters.ChunkedOutputFilter";

    private TomcatFilters() {
    }

    /** The one filter the body goes through and its framing, or a reason (then the other two are null). */
    record Active(Object filter, Framing framing, String refusal) {
    }

    static Active of(Object http11) throws ReflectiveOperationException {
        int last = (int) Fields.get(http11, "lastActiveFilter");
        Object[] active = (Object[]) Fields.get(http11, "activeFilters");
        if (last != 0) {
            return refused(last < 0 ? "tomcat-filter:none" : "tomcat-filter:" + active[last].getClass().getName());
        }
        Object filter = active[0];
        String type = filter.getClass().getName();
        if (type.equals(IDENTITY)) {
            boolean declared = (long) Fields.get(filter, "contentLength") >= 0;
            Fields.get(filter, "remaining"); // what a FIXED body's accounting updates, looked up now
            return new Active(filter, declared ? Framing.FIXED : Framing.RAW, null);
        }
        if (type.equals(CHUNKED)) {
            return new Active(filter, Framing.CHUNKED, null);
        }
        return refused("tomcat-filter:" + type);
    }

    private static Active refused(String reason) {
        return new Active(null, null, reason);
    }
}
