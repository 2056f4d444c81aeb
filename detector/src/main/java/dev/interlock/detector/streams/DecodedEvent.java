package dev.interlock.detector.streams;

import dev.interlock.model.CallEvent;

/** A call event that passed validation, with its bytes as read: handed from detect to cross-route in memory. */
record DecodedEvent(CallEvent event, byte[] raw) {
}
