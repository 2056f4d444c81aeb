package dev.interlock.detector.streams;

import dev.interlock.detector.core.CanisterState;
import dev.interlock.detector.core.OutgoingCall;
import dev.interlock.model.CallEvent;

/**
 * A call event that passed validation, with its bytes as read: handed from detect to cross-route in memory,
 * with what the detector engine knows of it.
 *
 * @param call   the engine's record of the event's outgoing call (CALL, CALLBACK, SEND_FAILED events), or null
 * @param caller the caller of the event's context, when known
 * @param state  the engine's state of the event's canister, with the event applied (read in the same task, before
 *               the next event)
 */
record DecodedEvent(CallEvent event, byte[] raw, OutgoingCall call, String caller, CanisterState state) {
}
