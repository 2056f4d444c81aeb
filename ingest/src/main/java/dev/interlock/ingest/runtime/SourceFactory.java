package dev.interlock.ingest.runtime;

import java.util.List;

import dev.interlock.ingest.source.Source;

/** One bean per kind of source: builds that kind's configured sources (none when disabled). */
public interface SourceFactory {
    /** The configuration block's name under {@code interlock.ingest}. */
    String kind();

    List<Source> create();
}
