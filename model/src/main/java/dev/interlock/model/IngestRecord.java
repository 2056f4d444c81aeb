package dev.interlock.model;

/** Anything ingest publishes: it knows its topic and its partitioning key. */
public sealed interface IngestRecord permits CallEvent, LedgerBlock {
    String topic();

    String key();
}
