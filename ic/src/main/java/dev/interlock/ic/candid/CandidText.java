package dev.interlock.ic.candid;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.interlock.ic.Principal;

/**
 * Reads Candid values in their textual form, as {@code dfx} and {@code icp} print them, into
 * {@link CandidValue}s, without a type to read them against:
 * <ul>
 * <li>numbers: {@code 42}, {@code -7}, {@code 10_000}, {@code 0x2a}, {@code 1.5e3}; an unannotated integer is a
 * {@link CandidValue.Big}, an annotated one has the annotation's width ({@code 42 : nat64} is a
 * {@link CandidValue.Fixed}, range-checked);</li>
 * <li>{@code "text"} with the escapes {@code \n \r \t \\ \" \'}, <code>&#92;u{1F600}</code> and {@code \xx} (a byte; the
 * text must be UTF-8), {@code blob "\de\ad"} (any bytes), {@code true}, {@code false}, {@code null};</li>
 * <li>{@code opt v}, {@code vec { v; … }}, {@code record { name = v; 0 = v; "quoted name" = v; v; … }} (an unnamed
 * field takes the id after the previous one, as in the specification), {@code variant { Name = v }} and
 * {@code variant { Name }} (null); names are hashed with {@link CandidType#idOf(String)};</li>
 * <li>{@code principal "aaaaa-aa"}, {@code service "…"}, {@code func "…".method};</li>
 * <li>an annotation {@code v : type} names a primitive type only; {@code ( v )} parenthesises.</li>
 * </ul>
 * A document is a sequence of values, each bare or in an argument tuple {@code (v, …)}; {@code //} and
 * {@code /* … *}{@code /} comments are blanks. Every error is a {@link ParseException} naming the line, the column,
 * what was expected and what was found. Nesting is limited ({@link #DEFAULT_MAX_DEPTH}) so hostile input cannot
 * exhaust the stack.
 */
public final class CandidText {
    /** Nesting of {@code opt}, {@code vec}, {@code record}, {@code variant} and parentheses allowed by default. */
    public static final int DEFAULT_MAX_DEPTH = 128;
    /** Characters a number may have: ledgers' numbers have at most a few dozen digits. */
    private static final int MAX_NUMBER_LENGTH = 4096;

    /** A place in the text, both 1-based; {@link #toString()} is {@code line:column}. */
    public record Position(int line, int column) {
        @Override
        public String toString() {
            return line + ":" + column;
        }
    }

    /** Text that is not a Candid value; the message is {@code line:column: expected …, found …}. */
    public static final class ParseException extends CandidException {
        private final transient Position position;
        private final String detail;

        public ParseException(Position position, String detail) {
            super(position + ": " + detail);
            this.position = position;
            this.detail = detail;
        }

        public Position position() {
            return position;
        }

        /** The message without the position. */
        public String detail() {
            return detail;
        }
    }

    /** The values read, in order, and where each of them (at any depth) starts. */
    public static final class Document {
        private final List<CandidValue> values;
        private final IdentityHashMap<CandidValue, Integer> offsets;
        private final Map<Long, String> names;
        private final int[] lineStarts;

        private Document(List<CandidValue> values, IdentityHashMap<CandidValue, Integer> offsets, Map<Long, String> names,
                int[] lineStarts) {
            this.values = List.copyOf(values);
            this.offsets = offsets;
            this.names = names;
            this.lineStarts = lineStarts;
        }

        public List<CandidValue> values() {
            return values;
        }

        /** Where {@code v}, a value of this document, starts; null for a value that is not one of its own. */
        public Position positionOf(CandidValue v) {
            Integer offset = offsets.get(v);
            return offset == null ? null : position(lineStarts, offset);
        }

        /** The name written for a field or alternative id, or {@code #id} when it was written as a number. */
        public String nameOf(long id) {
            String name = names.get(id);
            return name != null ? name : "#" + id;
        }

        /** An error about {@code v}, placed where it starts (for checks made after parsing). */
        public ParseException errorAt(CandidValue v, String detail) {
            Position p = positionOf(v);
            return new ParseException(p == null ? new Position(0, 0) : p, detail);
        }
    }

    private final String s;
    private final int maxDepth;
    private final int[] lineStarts;
    private final IdentityHashMap<CandidValue, Integer> offsets = new IdentityHashMap<>();
    private final Map<Long, String> names = new HashMap<>();
    private int pos;
    private int depth;

    private CandidText(String text, int maxDepth) {
        this.s = text;
        this.maxDepth = maxDepth;
        this.lineStarts = lineStarts(text);
    }

    /** Reads a sequence of values: bare ones, argument tuples {@code (a, b)}, or both. */
    public static Document parse(String text) {
        return parse(text, DEFAULT_MAX_DEPTH);
    }

    public static Document parse(String text, int maxDepth) {
        CandidText p = new CandidText(text, maxDepth);
        List<CandidValue> values = p.document();
        return new Document(values, p.offsets, p.names, p.lineStarts);
    }

    /** Reads text that holds exactly one value. */
    public static CandidValue parseValue(String text) {
        Document d = parse(text);
        if (d.values().size() != 1) {
            throw new ParseException(new Position(1, 1), "expected exactly one value, found " + d.values().size());
        }
        return d.values().get(0);
    }

    // --- document and values ------------------------------------------------------------------

    private List<CandidValue> document() {
        List<CandidValue> values = new ArrayList<>();
        skipBlanks();
        while (pos < s.length()) {
            if (peek() == '(') {
                pos++;
                skipBlanks();
                while (peek() != ')') {
                    values.add(annotatedValue());
                    skipBlanks();
                    if (peek() == ',') {
                        pos++;
                        skipBlanks();
                    } else if (peek() != ')') {
                        throw expected("',' or ')' after an argument");
                    }
                }
                pos++;
            } else {
                values.add(annotatedValue());
            }
            skipBlanks();
        }
        return values;
    }

    /** A value with an optional {@code : type}. */
    private CandidValue annotatedValue() {
        skipBlanks();
        int start = pos;
        CandidValue v = value();
        skipBlanks();
        if (peek() == ':') {
            pos++;
            v = at(start, annotate(v, start));
        }
        return v;
    }

    private CandidValue value() {
        skipBlanks();
        int start = pos;
        int c = peek();
        if (c == '(') {
            enter(start);
            pos++;
            CandidValue v = annotatedValue();
            skipBlanks();
            expect(')', "')'");
            depth--;
            return v;
        }
        if (c == '"') {
            return at(start, new CandidValue.Text(text()));
        }
        if (isDigit(c) || c == '-' || c == '+') {
            return at(start, number());
        }
        if (!isIdentStart(c)) {
            throw expected("a value");
        }
        String word = identifier();
        switch (word) {
            case "true":
                return at(start, new CandidValue.Bool(true));
            case "false":
                return at(start, new CandidValue.Bool(false));
            case "null":
                return at(start, new CandidValue.Null());
            case "opt": {
                enter(start);
                CandidValue inner = annotatedValue();
                depth--;
                return at(start, new CandidValue.Opt(inner));
            }
            case "vec":
                return at(start, vec(start));
            case "record":
                return at(start, record(start));
            case "variant":
                return at(start, variant(start));
            case "blob":
                skipBlanks();
                return at(start, new CandidValue.Blob(bytesLiteral("a text literal after 'blob'")));
            case "principal":
                return at(start, new CandidValue.Principal(principal("principal")));
            case "service":
                return at(start, new CandidValue.Service(principal("service")));
            case "func": {
                byte[] canister = principal("func");
                skipBlanks();
                expect('.', "'.' and a method name after the func's principal");
                skipBlanks();
                String method = peek() == '"' ? text() : isIdentStart(peek()) ? identifier() : null;
                if (method == null) {
                    throw expected("a method name");
                }
                return at(start, new CandidValue.Func(canister, method));
            }
            default:
                pos = start;
                throw expected("a value");
        }
    }

    private CandidValue vec(int start) {
        enter(start);
        skipBlanks();
        expect('{', "'{' after 'vec'");
        List<CandidValue> items = new ArrayList<>();
        skipBlanks();
        while (peek() != '}') {
            items.add(annotatedValue());
            separator("a vec element");
        }
        pos++;
        depth--;
        return new CandidValue.Vec(items);
    }

    private CandidValue record(int start) {
        enter(start);
        skipBlanks();
        expect('{', "'{' after 'record'");
        Map<Long, CandidValue> fields = new TreeMap<>();
        long nextId = 0;
        skipBlanks();
        while (peek() != '}') {
            int fieldStart = pos;
            Long label = label();
            long id = label != null ? label : nextId;
            if (id > 0xffffffffL) {
                pos = fieldStart;
                throw new ParseException(here(), "field id " + id + " exceeds 2^32 - 1");
            }
            CandidValue v = annotatedValue();
            if (fields.put(id, v) != null) {
                throw new ParseException(position(lineStarts, fieldStart), "field " + nameOf(id) + " appears twice in the record");
            }
            nextId = id + 1;
            separator("a record field");
        }
        pos++;
        depth--;
        return new CandidValue.Record(fields);
    }

    private CandidValue variant(int start) {
        enter(start);
        skipBlanks();
        expect('{', "'{' after 'variant'");
        skipBlanks();
        int altStart = pos;
        long id;
        if (peek() == '"') {
            id = name(text());
        } else if (isIdentStart(peek())) {
            id = name(identifier());
        } else if (isDigit(peek())) {
            id = fieldId(altStart);
        } else {
            throw expected("the name of the variant's alternative");
        }
        skipBlanks();
        CandidValue v;
        if (peek() == '=') {
            pos++;
            v = annotatedValue();
        } else {
            v = at(altStart, new CandidValue.Null()); // variant { Name } is Name = null
        }
        skipBlanks();
        if (peek() == ';') {
            pos++;
            skipBlanks();
        }
        expect('}', "'}' (a variant has exactly one alternative)");
        depth--;
        return new CandidValue.Variant(id, v);
    }

    /** A field label {@code name =}, {@code "name" =} or {@code 12 =}; null (and nothing read) when none comes next. */
    private Long label() {
        int save = pos;
        Long id = null;
        if (peek() == '"') {
            String n = text();
            id = CandidType.idOf(n);
            skipBlanks();
            if (peek() == '=') {
                names.put(id, n);
            }
        } else if (isIdentStart(peek())) {
            String n = identifier();
            id = CandidType.idOf(n);
            skipBlanks();
            if (peek() == '=') {
                names.put(id, n);
            }
        } else if (isDigit(peek())) {
            CandidValue n = number(); // a label only when '=' follows: record { 1.5 } is a float field
            skipBlanks();
            if (peek() == '=') {
                if (!(n instanceof CandidValue.Big b) || b.value().bitLength() > 32) {
                    pos = save;
                    throw expected("a field id (a number up to 2^32 - 1)");
                }
                id = b.value().longValue();
            }
        }
        if (id != null && peek() == '=') {
            pos++;
            return id;
        }
        pos = save;
        return null;
    }

    private long name(String n) {
        long id = CandidType.idOf(n);
        names.put(id, n);
        return id;
    }

    /** A numeric field id; up to 2^32 - 1. */
    private long fieldId(int start) {
        CandidValue n = number();
        if (!(n instanceof CandidValue.Big b) || b.value().signum() < 0 || b.value().bitLength() > 32) {
            pos = start;
            throw expected("a field id (a number up to 2^32 - 1)");
        }
        return b.value().longValue();
    }

    /** After an element of a vec or record: {@code ;} or the closing brace. */
    private void separator(String what) {
        skipBlanks();
        if (peek() == ';') {
            pos++;
            skipBlanks();
        } else if (peek() != '}') {
            throw expected("';' or '}' after " + what);
        }
    }

    private byte[] principal(String keyword) {
        skipBlanks();
        int start = pos;
        if (peek() != '"') {
            throw expected("a text literal after '" + keyword + "'");
        }
        String t = text();
        try {
            return Principal.fromText(t).bytes();
        } catch (RuntimeException e) {
            throw new ParseException(position(lineStarts, start), "expected a principal in its text form, found \"" + t
                    + "\" (" + e.getMessage() + ")");
        }
    }

    // --- numbers and annotations --------------------------------------------------------------

    /** An integer ({@link CandidValue.Big}) or a float ({@link CandidValue.Float}). */
    private CandidValue number() {
        int start = pos;
        boolean negative = false;
        if (peek() == '-' || peek() == '+') {
            negative = peek() == '-';
            pos++;
        }
        CandidValue result;
        if (s.startsWith("0x", pos) || s.startsWith("0X", pos)) {
            pos += 2;
            BigInteger n = new BigInteger(digits(16), 16);
            result = new CandidValue.Big(negative ? n.negate() : n);
        } else {
            String whole = digits(10);
            StringBuilder f = new StringBuilder(whole);
            boolean isFloat = false;
            if (peek() == '.' && (pos + 1 >= s.length() || !isIdentStart(s.charAt(pos + 1)))) {
                pos++;
                isFloat = true;
                f.append('.');
                if (isDigit(peek())) {
                    f.append(digits(10));
                }
            }
            if (peek() == 'e' || peek() == 'E') {
                pos++;
                isFloat = true;
                f.append('e');
                if (peek() == '-' || peek() == '+') {
                    f.append((char) peek());
                    pos++;
                }
                f.append(digits(10));
            }
            if (isFloat) {
                double d = Double.parseDouble(f.toString());
                result = new CandidValue.Float(negative ? -d : d);
            } else {
                BigInteger n = new BigInteger(whole);
                result = new CandidValue.Big(negative ? n.negate() : n);
            }
        }
        if (isIdentPart(peek())) {
            throw expected("the end of the number");
        }
        if (pos - start > MAX_NUMBER_LENGTH) {
            throw new ParseException(position(lineStarts, start), "number longer than " + MAX_NUMBER_LENGTH + " characters");
        }
        return result;
    }

    /** Digits in {@code radix} with single underscores between them; returns them without the underscores. */
    private String digits(int radix) {
        StringBuilder sb = new StringBuilder();
        if (digit(peek(), radix) < 0) {
            throw expected(radix == 16 ? "a hexadecimal digit" : "a digit");
        }
        while (true) {
            int c = peek();
            if (digit(c, radix) >= 0) {
                sb.append((char) c);
                pos++;
            } else if (c == '_' && pos + 1 < s.length() && digit(s.charAt(pos + 1), radix) >= 0) {
                pos++;
            } else {
                return sb.toString();
            }
            if (sb.length() > MAX_NUMBER_LENGTH) {
                throw expected("a shorter number (at most " + MAX_NUMBER_LENGTH + " digits)");
            }
        }
    }

    /** Applies {@code : type} (already past the colon) to {@code v}, which starts at {@code start}. */
    private CandidValue annotate(CandidValue v, int start) {
        skipBlanks();
        int typeStart = pos;
        if (!isIdentStart(peek())) {
            throw expected("a type after ':'");
        }
        String type = identifier();
        CandidType.Prim prim = primitive(type);
        if (prim == null) {
            pos = typeStart;
            throw expected("a primitive type name (nat, int, nat8…nat64, int8…int64, float32, float64, text, bool, "
                    + "null, principal, reserved)");
        }
        if (prim == CandidType.Prim.RESERVED) {
            return new CandidValue.Reserved();
        }
        if (v instanceof CandidValue.Big b) {
            return integerAs(b.value(), prim, start, typeStart);
        }
        if (v instanceof CandidValue.Float f && (prim == CandidType.Prim.FLOAT32 || prim == CandidType.Prim.FLOAT64)) {
            return f;
        }
        boolean fits = v instanceof CandidValue.Text && prim == CandidType.Prim.TEXT
                || v instanceof CandidValue.Bool && prim == CandidType.Prim.BOOL
                || v instanceof CandidValue.Null && prim == CandidType.Prim.NULL
                || v instanceof CandidValue.Principal && prim == CandidType.Prim.PRINCIPAL
                || v instanceof CandidValue.Fixed x && x.type() == prim;
        if (!fits) {
            throw new ParseException(position(lineStarts, typeStart), "expected a type that fits " + kind(v) + ", found '"
                    + type + "'");
        }
        return v;
    }

    private CandidValue integerAs(BigInteger n, CandidType.Prim prim, int start, int typeStart) {
        switch (prim) {
            case NAT:
                if (n.signum() < 0) {
                    throw new ParseException(position(lineStarts, start), n + " is not a nat (nats are not negative)");
                }
                return new CandidValue.Big(n);
            case INT:
                return new CandidValue.Big(n);
            case FLOAT32:
            case FLOAT64:
                return new CandidValue.Float(n.doubleValue());
            default:
                break;
        }
        int bits = switch (prim) {
            case NAT8, INT8 -> 8;
            case NAT16, INT16 -> 16;
            case NAT32, INT32 -> 32;
            case NAT64, INT64 -> 64;
            default -> 0;
        };
        if (bits == 0) {
            throw new ParseException(position(lineStarts, typeStart), "expected a number type, found '"
                    + prim.name().toLowerCase(java.util.Locale.ROOT) + "' for the number " + n);
        }
        boolean unsigned = prim.name().startsWith("NAT");
        BigInteger min = unsigned ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(bits - 1).negate();
        BigInteger max = unsigned ? BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                : BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
        if (n.compareTo(min) < 0 || n.compareTo(max) > 0) {
            throw new ParseException(position(lineStarts, start), n + " is out of range for "
                    + prim.name().toLowerCase(java.util.Locale.ROOT) + " (" + min + ".." + max + ")");
        }
        return new CandidValue.Fixed(prim, n.longValue());
    }

    private static CandidType.Prim primitive(String name) {
        for (CandidType.Prim p : CandidType.Prim.values()) {
            if (p != CandidType.Prim.EMPTY && p.name().toLowerCase(java.util.Locale.ROOT).equals(name)) {
                return p;
            }
        }
        return null;
    }

    private static String kind(CandidValue v) {
        if (v instanceof CandidValue.Fixed f) {
            return "a " + f.type().name().toLowerCase(java.util.Locale.ROOT);
        }
        return switch (v.getClass().getSimpleName()) {
            case "Text" -> "a text";
            case "Bool" -> "a bool";
            case "Null" -> "null";
            case "Float" -> "a float";
            case "Principal" -> "a principal";
            case "Opt" -> "an opt";
            case "Vec" -> "a vec";
            case "Blob" -> "a blob";
            case "Record" -> "a record";
            case "Variant" -> "a variant";
            default -> "a " + v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
        };
    }

    // --- text literals --------------------------------------------------------------------------

    /** A text literal, which must be UTF-8 once its escapes are applied. */
    private String text() {
        int start = pos;
        byte[] bytes = bytesLiteral("a text literal");
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ParseException(position(lineStarts, start), "text is not UTF-8 once its \\xx escapes are applied "
                    + "(bytes are written blob \"…\")");
        }
    }

    /** The bytes of a {@code "…"} literal: UTF-8 of its characters, escapes applied. */
    private byte[] bytesLiteral(String what) {
        int start = pos;
        if (peek() != '"') {
            throw expected(what);
        }
        pos++;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            if (pos >= s.length()) {
                throw new ParseException(position(lineStarts, start), "expected a closing '\"' for this text, found end of input");
            }
            char c = s.charAt(pos);
            if (c == '"') {
                pos++;
                return out.toByteArray();
            }
            if (c != '\\') {
                int cp = s.codePointAt(pos);
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                pos += Character.charCount(cp);
                continue;
            }
            pos++;
            int e = peek();
            int h1 = hexDigit(e);
            int h2 = pos + 1 < s.length() ? hexDigit(s.charAt(pos + 1)) : -1;
            if (h1 >= 0 && h2 >= 0) {
                out.write(h1 << 4 | h2);
                pos += 2;
                continue;
            }
            switch (e) {
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case '\\', '"', '\'' -> out.write(e);
                case 'u' -> {
                    pos++;
                    out.writeBytes(unicodeEscape());
                    continue;
                }
                default -> throw expected("an escape (\\n, \\r, \\t, \\\\, \\\", \\', \\u{…} or two hex digits)");
            }
            pos++;
        }
    }

    /** <code>{hex}</code> after <code>&#92;u</code>: a Unicode scalar value, returned as UTF-8. */
    private byte[] unicodeEscape() {
        int start = pos;
        expect('{', "'{' after \\u");
        String hex = peek() == '}' ? "" : digits(16);
        expect('}', "'}' closing \\u{…}");
        int cp = hex.length() > 6 ? Integer.MAX_VALUE : Integer.parseInt(hex.isEmpty() ? "0" : hex, 16);
        if (hex.isEmpty() || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            throw new ParseException(position(lineStarts, start), "expected a Unicode scalar value in \\u{…}, found '"
                    + hex + "'");
        }
        return new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
    }

    // --- lexing helpers -----------------------------------------------------------------------

    private CandidValue at(int offset, CandidValue v) {
        offsets.put(v, offset);
        return v;
    }

    private void enter(int start) {
        if (++depth > maxDepth) {
            throw new ParseException(position(lineStarts, start), "value nested deeper than " + maxDepth + " levels");
        }
    }

    private int peek() {
        return pos < s.length() ? s.charAt(pos) : -1;
    }

    private void expect(char c, String what) {
        if (peek() != c) {
            throw expected(what);
        }
        pos++;
    }

    private String identifier() {
        int start = pos;
        while (isIdentPart(peek())) {
            pos++;
        }
        return s.substring(start, pos);
    }

    /** Skips white space and comments. */
    private void skipBlanks() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (s.startsWith("//", pos)) {
                int end = s.indexOf('\n', pos);
                pos = end < 0 ? s.length() : end + 1;
            } else if (s.startsWith("/*", pos)) {
                int end = s.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw new ParseException(here(), "expected '*/' closing this comment, found end of input");
                }
                pos = end + 2;
            } else {
                return;
            }
        }
    }

    private ParseException expected(String what) {
        return new ParseException(here(), "expected " + what + ", found " + found());
    }

    /** What is at the current position, for messages. */
    private String found() {
        if (pos >= s.length()) {
            return "end of input";
        }
        if (isIdentPart(s.charAt(pos))) {
            int end = pos;
            while (end < s.length() && end - pos < 24 && isIdentPart(s.charAt(end))) {
                end++;
            }
            return "'" + s.substring(pos, end) + "'";
        }
        int cp = s.codePointAt(pos);
        return cp == '\n' ? "end of line" : "'" + new String(Character.toChars(cp)) + "'";
    }

    private Position here() {
        return position(lineStarts, pos);
    }

    private String nameOf(long id) {
        String n = names.get(id);
        return n != null ? n : Long.toString(id);
    }

    private static int[] lineStarts(String text) {
        int[] starts = new int[16];
        int n = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                if (n == starts.length) {
                    starts = Arrays.copyOf(starts, n * 2);
                }
                starts[n++] = i + 1;
            }
        }
        return Arrays.copyOf(starts, n);
    }

    private static Position position(int[] lineStarts, int offset) {
        int i = Arrays.binarySearch(lineStarts, offset);
        int line = i >= 0 ? i : -i - 2;
        return new Position(line + 1, offset - lineStarts[line] + 1);
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentStart(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
    }

    private static boolean isIdentPart(int c) {
        return isIdentStart(c) || isDigit(c);
    }

    /** The value of an ASCII digit in {@code radix} (10 or 16), or -1. */
    private static int digit(int c, int radix) {
        int d = hexDigit(c);
        return d < radix ? d : -1;
    }

    private static int hexDigit(int c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
