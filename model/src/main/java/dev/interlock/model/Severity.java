package dev.interlock.model;

/** How urgently a human should look: CRITICAL means funds are (or were) at risk now. */
public enum Severity { INFO, WARNING, CRITICAL }
