// Signed-request vectors for Interlock's ic module, computed with DFINITY's agent-js (versions pinned in
// package.json). Usage: node generate.mjs [--interlock ENVELOPES.json] > vectors.json
//
// Without --interlock it prints what agent-js computes for fixed keys and request contents: principals,
// DER public keys, request ids and signatures (sender_sig as SignIdentity.transformRequest makes it).
// With --interlock it also judges Interlock's own envelopes (written by AgentJsVectorsTest to
// ic/target/agent-js/interlock-envelopes.json) with agent-js: CBOR decoding, request id, sender principal,
// field set against HttpAgent's, and the signature under the sender's DER key; verify.mjs does only that.
import { readFileSync } from 'node:fs';
import { IC_REQUEST_DOMAIN_SEPARATOR, requestIdOf, Expiry, AnonymousIdentity } from '@dfinity/agent';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import { Secp256k1KeyIdentity } from '@dfinity/identity-secp256k1';
import { Principal } from '@dfinity/principal';
import { IDL } from '@dfinity/candid';
import { secp256k1 } from '@noble/curves/secp256k1';
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, hexToBytes, concatBytes } from '@noble/hashes/utils';
import { judgeEnvelopes } from './judge.mjs';

// Read from node_modules directly: some of these packages do not export their package.json.
const versionOf = name => JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;

// agent-rs's secp256k1 test key, as `openssl ecparam -genkey` (and dfx) writes it: EC PARAMETERS, then SEC1.
const SECP256K1_PEM = `-----BEGIN EC PARAMETERS-----
BgUrgQQACg==
-----END EC PARAMETERS-----
-----BEGIN EC PRIVATE KEY-----
MHQCAQEEIAgy7nZEcVHkQ4Z1Kdqby8SwyAiyKDQmtbEHTIM+WNeBoAcGBSuBBAAK
oUQDQgAEgO87rJ1ozzdMvJyZQ+GABDqUxGLvgnAnTlcInV3NuhuPv4O3VGzMGzeB
N3d26cRxD99TPtm8uo2OuzKhSiq6EQ==
-----END EC PRIVATE KEY-----
`;
// RFC 8032 section 7.1, TEST 1: the Ed25519 seed.
const ED25519_SEED = hexToBytes('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');

/** Older dfx's Ed25519 PEM: PKCS#8 v2 (OneAsymmetricKey) with the public key as [1]. */
function ed25519Pkcs8v2Pem(seed, publicKey) {
    const der = concatBytes(hexToBytes('3053020101300506032b657004220420'), seed, hexToBytes('a123032100'), publicKey);
    const b64 = Buffer.from(der).toString('base64');
    return `-----BEGIN PRIVATE KEY-----\n${b64.match(/.{1,64}/g).join('\n')}\n-----END PRIVATE KEY-----\n`;
}

// agent-js's PEM reader wants the EC PRIVATE KEY block alone (header on the first line).
const secpOnlyKeyBlock = SECP256K1_PEM.slice(SECP256K1_PEM.indexOf('-----BEGIN EC PRIVATE KEY-----'));
const identities = [
    { name: 'secp256k1-dfx', kind: 'secp256k1', pem: SECP256K1_PEM, id: Secp256k1KeyIdentity.fromPem(secpOnlyKeyBlock) },
    { name: 'ed25519-rfc8032', kind: 'Ed25519', id: Ed25519KeyIdentity.generate(ED25519_SEED) },
    { name: 'anonymous', kind: 'anonymous', id: new AnonymousIdentity() },
];
identities[1].pem = ed25519Pkcs8v2Pem(ED25519_SEED, identities[1].id.getPublicKey().toRaw());

const LEDGER = Principal.fromText('ryjl3-tyaaa-aaaaa-aaaba-cai');
const VAULT = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');
const MANAGEMENT = Principal.managementCanister();
const utf8 = s => new TextEncoder().encode(s);

// fetch_canister_logs's argument as agent-js's Candid encoder writes it (the type CanisterLogClient declares).
const FilterByIdx = IDL.Record({ start: IDL.Nat64, end: IDL.Nat64 });
const FetchLogsArgs = IDL.Record({ canister_id: IDL.Principal, filter: IDL.Opt(IDL.Variant({ by_idx: FilterByIdx })) });
const fetchLogsArg = IDL.encode([FetchLogsArgs], [{ canister_id: VAULT, filter: [{ by_idx: { start: 1042n, end: (1n << 64n) - 1n } }] }]);

/**
 * Request contents, with the sender filled in per identity. Values are what HttpAgent puts in them
 * (Principal, Expiry, Uint8Array, strings, arrays of arrays of Uint8Array for paths).
 */
const contents = [
    {
        name: 'query-fetch-canister-logs', // what CanisterLogClient sends, field for field as HttpAgent.query builds it
        content: sender => ({
            request_type: 'query', canister_id: MANAGEMENT, method_name: 'fetch_canister_logs', arg: fetchLogsArg,
            sender, ingress_expiry: new Expiry(1_795_003_440_000_000_000n),
        }),
    },
    {
        name: 'query-with-nonce-and-text', // a nonce (agent-js adds one to update calls), non-ASCII text, an empty arg
        content: sender => ({
            request_type: 'query', canister_id: LEDGER, method_name: 'grüße_😀', arg: new Uint8Array(0),
            sender, nonce: hexToBytes('0102030405060708090a0b0c0d0e0f10'), ingress_expiry: new Expiry(1_685_570_400_000_000_000n),
        }),
    },
    {
        name: 'query-max-expiry', // ingress_expiry = 2^64 - 1 (a 10-byte LEB128; more than a signed long holds)
        content: sender => ({
            request_type: 'query', canister_id: LEDGER, method_name: 'icrc3_get_blocks', arg: utf8('DIDL\x00\x00'),
            sender, ingress_expiry: new Expiry((1n << 64n) - 1n),
        }),
    },
    {
        name: 'call-with-nonce', // an update call as HttpAgent.call builds it (its nonce transform adds the nonce)
        content: sender => ({
            request_type: 'call', canister_id: VAULT, method_name: 'withdraw', arg: utf8('DIDL\x00\x01\x7d\x2a'),
            sender, ingress_expiry: new Expiry(1_795_003_440_000_000_000n), nonce: hexToBytes('f00dfeedc0ffee00'),
        }),
    },
    {
        name: 'read-state-last-install', // what CanisterLogClient.lastInstallTimestamp sends
        content: sender => ({
            request_type: 'read_state', paths: [[utf8('canister'), VAULT.toUint8Array(), utf8('last_install_timestamp')]],
            sender, ingress_expiry: new Expiry(1_795_003_440_000_000_000n),
        }),
    },
    {
        name: 'read-state-several-paths', // two paths, an empty label, an empty path
        content: sender => ({
            request_type: 'read_state', paths: [[utf8('time')], [utf8('subnet'), new Uint8Array(0)], []],
            sender, ingress_expiry: new Expiry(1n),
        }),
    },
];

/** The content as typed JSON for the Java side: {"text": …}, {"blob": hex}, {"nat": decimal}, {"paths": [[hex…]…]}. */
function typed(content) {
    const out = {};
    for (const [k, v] of Object.entries(content)) {
        if (typeof v === 'string') out[k] = { text: v };
        else if (v instanceof Uint8Array) out[k] = { blob: bytesToHex(v) };
        else if (Principal.isPrincipal(v)) out[k] = { blob: bytesToHex(v.toUint8Array()) };
        else if (v instanceof Expiry) out[k] = { nat: v.toBigInt().toString() };
        else if (Array.isArray(v)) out[k] = { paths: v.map(path => path.map(bytesToHex)) };
        else throw new Error(`untyped field ${k}`);
    }
    return out;
}

const requests = [];
for (const who of identities) {
    for (const c of contents) {
        const content = c.content(who.id.getPrincipal());
        const requestId = requestIdOf(content);
        // The signing path HttpAgent takes: transformRequest puts content, sender_pubkey and sender_sig in the body.
        const envelope = (await who.id.transformRequest({ endpoint: 'query', request: {}, body: content })).body;
        const entry = { name: c.name, identity: who.name, content: typed(content), requestId: bytesToHex(requestId) };
        if (envelope.sender_sig) {
            const sig = envelope.sender_sig;
            entry.signature = bytesToHex(sig);
            if (who.kind === 'secp256k1') {
                // Whether the signer had to replace s by n - s (RFC 6979 k, low-S rule): the vector exercises normalisation.
                const digest = sha256(concatBytes(IC_REQUEST_DOMAIN_SEPARATOR, requestId));
                const highS = secp256k1.sign(digest, who.id.getKeyPair().secretKey, { lowS: false });
                entry.lowSNormalised = bytesToHex(highS.toCompactRawBytes()) !== entry.signature;
            }
        }
        requests.push(entry);
    }
}

const out = {
    comment: 'Generated by tools/agent-js-vectors/generate.mjs with DFINITY agent-js; do not edit (see its README).',
    generator: {
        node: process.version,
        '@dfinity/agent': versionOf('@dfinity/agent'),
        '@dfinity/identity': versionOf('@dfinity/identity'),
        '@dfinity/identity-secp256k1': versionOf('@dfinity/identity-secp256k1'),
        '@dfinity/principal': versionOf('@dfinity/principal'),
        '@dfinity/candid': versionOf('@dfinity/candid'),
        '@noble/curves': versionOf('@noble/curves'),
    },
    domainSeparator: bytesToHex(IC_REQUEST_DOMAIN_SEPARATOR),
    identities: identities.map(who => ({
        name: who.name,
        kind: who.kind,
        ...(who.pem ? { pem: who.pem } : {}),
        principal: who.id.getPrincipal().toText(),
        ...(who.kind !== 'anonymous' ? { publicKeyDer: bytesToHex(who.id.getPublicKey().toDer()) } : {}),
    })),
    fetchCanisterLogsArg: { canister: VAULT.toText(), fromIdx: '1042', candid: bytesToHex(fetchLogsArg) },
    requests,
};

const at = process.argv.indexOf('--interlock');
if (at > 0) {
    const theirs = JSON.parse(readFileSync(process.argv[at + 1], 'utf8'));
    out.interlockEnvelopes = judgeEnvelopes(theirs.envelopes);
}
process.stdout.write(JSON.stringify(out, null, 2) + '\n');
