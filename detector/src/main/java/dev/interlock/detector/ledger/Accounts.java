package dev.interlock.detector.ledger;

/**
 * ICRC-1 account texts as the matchers need them, without decoding them: the owner's principal
 * ({@code <owner>} or {@code <owner>-<checksum>.<subaccount hex>}, TextualEncoding.md).
 */
final class Accounts {
    private Accounts() {
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
