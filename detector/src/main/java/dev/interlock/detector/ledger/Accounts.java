package dev.interlock.detector.ledger;

import java.util.Locale;

import dev.interlock.ic.Account;
import dev.interlock.ic.AccountIdentifier;
import dev.interlock.ic.Principal;

/**
 * Account texts as the matchers need them: the owner's principal of an ICRC-1 account text
 * ({@code <owner>} or {@code <owner>-<checksum>.<subaccount hex>}, TextualEncoding.md), read without
 * decoding it; and the ICP ledger's account identifier (64 hex digits: CRC32 and SHA-224 of owner and
 * subaccount), which its blocks name instead of the owner.
 */
final class Accounts {
    private Accounts() {
    }

    /** 64 hex digits: the textual form of an ICP account identifier. */
    static boolean isIdentifier(String account) {
        if (account == null || account.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = account.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The account identifier (lowercase hex) of an account text: an identifier as given, an ICRC-1 account text
     * hashed with its subaccount; null for null or a text that is neither.
     */
    static String identifier(String account) {
        if (account == null) {
            return null;
        }
        if (isIdentifier(account)) {
            return account.toLowerCase(Locale.ROOT);
        }
        try {
            return AccountIdentifier.hex(Account.fromText(account));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The account identifier of a principal's default account (its subaccount all zeros). */
    static String defaultIdentifier(String principal) {
        try {
            return AccountIdentifier.hex(Account.of(Principal.fromText(principal)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The owner's principal text of an ICRC-1 account text, or null when the text is no ICRC-1 account (the
     * ICP ledger's 64-hex account identifiers, empty, null).
     */
    static String owner(String account) {
        if (account == null || account.isEmpty()) {
            return null;
        }
        String owner = account;
        int dot = account.lastIndexOf('.');
        if (dot >= 0) {
            int dash = account.lastIndexOf('-', dot);
            if (dash <= 0) {
                return null;
            }
            owner = account.substring(0, dash);
        }
        return isPrincipalText(owner) ? owner : null;
    }

    /** Groups of base32 (lowercase a-z, 2-7) separated by single dashes: the textual form of a principal. */
    static boolean isPrincipalText(String s) {
        if (s.isEmpty() || s.indexOf('-') < 0 || s.charAt(0) == '-' || s.charAt(s.length() - 1) == '-') {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7') || (c == '-' && s.charAt(i - 1) != '-');
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
