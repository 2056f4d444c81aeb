// agent-js's view of Interlock's request envelopes (hex CBOR, as posted to /api/v3/canister/…/query,
// …/read_state or /api/v4/canister/…/call): decoded with agent-js's CBOR decoder, the request id recomputed with requestIdOf, the sender
// checked against the self-authenticating principal of sender_pubkey, the field set compared with what
// HttpAgent sends, and sender_sig verified under the DER key with the curves agent-js signs with
// (@noble/curves; secp256k1 verification refuses high-S signatures, as the IC does).
import { Cbor, IC_REQUEST_DOMAIN_SEPARATOR, requestIdOf } from '@dfinity/agent';
import { Ed25519KeyIdentity, Ed25519PublicKey } from '@dfinity/identity';
import { Secp256k1PublicKey } from '@dfinity/identity-secp256k1';
import { Principal } from '@dfinity/principal';
import { IDL } from '@dfinity/candid';
import { secp256k1 } from '@noble/curves/secp256k1';
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, hexToBytes, concatBytes } from '@noble/hashes/utils';

/** The content fields HttpAgent 3.x puts in a query, a read_state and an update call (which carries a nonce). */
const HTTP_AGENT_FIELDS = {
    query: ['arg', 'canister_id', 'ingress_expiry', 'method_name', 'request_type', 'sender'],
    read_state: ['ingress_expiry', 'paths', 'request_type', 'sender'],
    call: ['arg', 'canister_id', 'ingress_expiry', 'method_name', 'nonce', 'request_type', 'sender'],
};
const CanisterStatusArgs = IDL.Record({ canister_id: IDL.Principal });
const FetchLogsArgs = IDL.Record({
    canister_id: IDL.Principal,
    filter: IDL.Opt(IDL.Variant({ by_idx: IDL.Record({ start: IDL.Nat64, end: IDL.Nat64 }) })),
});
const SECP256K1_DER_PREFIX = '3056301006072a8648ce3d020106052b8104000a034200';
const ED25519_DER_PREFIX = '302a300506032b6570032100';

export function judgeEnvelopes(envelopes) {
    return envelopes.map(({ name, cbor }) => {
        const problems = [];
        const verdict = { name, cbor };
        let env;
        try {
            env = Cbor.decode(hexToBytes(cbor));
        } catch (e) {
            return { ...verdict, problems: [`agent-js cannot decode the CBOR: ${e.message}`] };
        }
        const content = env.content;
        const requestId = requestIdOf(content);
        verdict.requestType = content.request_type;
        verdict.requestId = bytesToHex(requestId);
        verdict.sender = Principal.fromUint8Array(content.sender).toText();
        const expected = HTTP_AGENT_FIELDS[content.request_type];
        const fields = Object.keys(content).sort();
        if (!expected || fields.join() !== expected.join()) {
            problems.push(`fields ${fields.join()} differ from HttpAgent's ${expected}`);
        }
        const der = env.sender_pubkey;
        if (der === undefined) {
            verdict.keyKind = 'anonymous';
            if (verdict.sender !== Principal.anonymous().toText()) problems.push('unsigned, but the sender is not anonymous');
            if (env.sender_sig !== undefined) problems.push('sender_sig without sender_pubkey');
        } else {
            const selfAuth = Principal.selfAuthenticating(der).toText();
            if (selfAuth !== verdict.sender) problems.push(`sender ${verdict.sender} is not the key's principal ${selfAuth}`);
            const message = concatBytes(IC_REQUEST_DOMAIN_SEPARATOR, requestId);
            const hex = bytesToHex(der);
            if (hex.startsWith(SECP256K1_DER_PREFIX)) {
                verdict.keyKind = 'secp256k1';
                const raw = Secp256k1PublicKey.fromDer(der).toRaw();
                // agent-js's Secp256k1KeyIdentity.sign signs sha256(message); verify that, low-S required.
                verdict.signatureValid = secp256k1.verify(env.sender_sig, sha256(message), raw, { lowS: true });
            } else if (hex.startsWith(ED25519_DER_PREFIX)) {
                verdict.keyKind = 'Ed25519';
                const raw = Ed25519PublicKey.fromDer(der).toRaw();
                verdict.signatureValid = Ed25519KeyIdentity.verify(env.sender_sig, message, raw);
            } else {
                problems.push(`unknown key type, DER ${hex}`);
            }
            if (verdict.signatureValid === false) problems.push('sender_sig does not verify');
        }
        if (content.method_name === 'fetch_canister_logs') {
            try {
                const [arg] = IDL.decode([FetchLogsArgs], content.arg);
                verdict.fetchCanisterLogsArg = {
                    canister: arg.canister_id.toText(),
                    start: arg.filter[0]?.by_idx?.start?.toString(),
                    end: arg.filter[0]?.by_idx?.end?.toString(),
                };
            } catch (e) {
                problems.push(`agent-js cannot decode the fetch_canister_logs argument: ${e.message}`);
            }
        }
        if (content.method_name === 'canister_status') {
            try {
                const [arg] = IDL.decode([CanisterStatusArgs], content.arg);
                verdict.canisterStatusArg = { canister: arg.canister_id.toText() };
            } catch (e) {
                problems.push(`agent-js cannot decode the canister_status argument: ${e.message}`);
            }
            if (Principal.fromUint8Array(content.canister_id).toText() !== 'aaaaa-aa') {
                problems.push('canister_status is not addressed to the management canister');
            }
        }
        verdict.problems = problems;
        return verdict;
    });
}
