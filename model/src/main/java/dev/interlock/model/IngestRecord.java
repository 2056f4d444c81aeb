package dev.interlock.model;

/** Anything ingest publishes: it knows its topic and its partitioning key. */
public sealed interface IngestRecord permits CallEvent, LedgerBlock, Alert {
    String topic();

    String key();
}
