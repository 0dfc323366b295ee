package dev.hearth.schema;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Grammars for numbers in a range, exactly: integers (optionally multiples of a number) and decimals, inclusive or
 * exclusive, negative, fractional or large. Numbers are written without exponents and without leading zeros; an
 * unbounded side stops at 15 digits, fractions at {@value #FRACTION_DIGITS} digits (what a model writes anyway).
 * Each method returns a GBNF expression, or null when no number satisfies the constraints.
 */
final class Numbers {
    static final int FRACTION_DIGITS = 6;
    private static final BigInteger CAP = BigInteger.TEN.pow(15).subtract(BigInteger.ONE);
    /** multipleOf up to this is a remainder automaton; above it (but for c·10^k) the multiples are listed. */
    private static final int MAX_MODULUS = 60;
    private static final int MAX_LISTED = 64;

    private final Gbnf g;
    private final Map<String, Optional<String>> memo = new HashMap<>();

    Numbers(Gbnf g) {
        this.g = g;
    }

    /** Integers in [lo, hi] (null: unbounded) that are multiples of {@code step} (1 for any). */
    String integers(BigInteger lo, BigInteger hi, BigInteger step, String pointer) {
        if (hi == null) {
            hi = (lo != null && lo.signum() > 0 ? lo : BigInteger.ZERO).add(CAP);
        }
        if (lo == null) {
            lo = (hi.signum() < 0 ? hi : BigInteger.ZERO).subtract(CAP);
        }
        if (lo.compareTo(hi) > 0) {
            return null;
        }
        String positive = hi.signum() >= 0 ? magnitudes(lo.max(BigInteger.ZERO), hi, step, pointer) : null;
        String negative = lo.signum() < 0 ? magnitudes(hi.negate().max(BigInteger.ONE), lo.negate(), step, pointer) : null;
        return Gbnf.alternatives(java.util.Arrays.asList(negative == null ? null : "\"-\" " + negative, positive));
    }

    // non-negative integers in [a, b], multiples of step
    private String magnitudes(BigInteger a, BigInteger b, BigInteger step, String pointer) {
        if (a.compareTo(b) > 0) {
            return null;
        }
        if (step.equals(BigInteger.ONE)) {
            return digits(a, b, 1);
        }
        int zeros = 0;
        BigInteger core = step;
        while (core.mod(BigInteger.TEN).signum() == 0) {
            core = core.divide(BigInteger.TEN);
            zeros++;
        }
        if (zeros > 0) { // multiples of c·10^k end in k zeros: the multiples of c, then the zeros
            BigInteger unit = BigInteger.TEN.pow(zeros);
            String zero = a.signum() == 0 ? "\"0\"" : null;
            BigInteger from = ceilDiv(a.max(BigInteger.ONE), unit);
            BigInteger to = b.divide(unit);
            String inner = from.compareTo(to) <= 0 ? magnitudes(from, to, core, pointer) : null;
            return Gbnf.alternatives(java.util.Arrays.asList(zero, inner == null ? null
                    : inner + " " + Gbnf.literal("0".repeat(zeros))));
        }
        if (core.compareTo(BigInteger.valueOf(MAX_MODULUS)) <= 0) {
            return digits(a, b, core.intValueExact());
        }
        BigInteger first = ceilDiv(a, core).multiply(core);
        List<String> listed = new ArrayList<>();
        for (BigInteger v = first; v.compareTo(b) <= 0; v = v.add(core)) {
            if (listed.size() == MAX_LISTED) {
                throw new UnenforceableSchemaException("multipleOf", pointer, "multiples of " + step + " in a range"
                        + " this wide make too large a grammar; narrow the range (at most " + MAX_LISTED
                        + " multiples), use a multiple of 10 or a factor up to " + MAX_MODULUS + ", or ask for lenient mode");
            }
            listed.add(Gbnf.literal(v.toString()));
        }
        return Gbnf.alternatives(listed);
    }

    // decimal digit strings of values in [a, b] (a >= 0), no leading zeros, whose value is 0 mod m
    private String digits(BigInteger a, BigInteger b, int m) {
        String low = a.toString();
        String high = b.toString();
        List<String> byLength = new ArrayList<>();
        int middleFrom = -1;
        for (int len = low.length(); len <= high.length(); len++) {
            boolean first = len == low.length();
            boolean last = len == high.length();
            if (!first && !last && m == 1) { // every len-digit number: one expression for all such lengths
                middleFrom = middleFrom < 0 ? len : middleFrom;
                continue;
            }
            String lo = first ? low : "1" + "0".repeat(len - 1);
            String hi = last ? high : "9".repeat(len);
            byLength.add(state(lo, hi, 0, true, true, 0, m));
        }
        if (middleFrom > 0) {
            int to = high.length() - 1;
            byLength.add(1, "[1-9] [0-9]" + (middleFrom == to ? "{" + (to - 1) + "}" : "{" + (middleFrom - 1) + "," + (to - 1) + "}"));
        }
        return Gbnf.alternatives(byLength);
    }

    private String state(String lo, String hi, int pos, boolean tightLow, boolean tightHigh, int rem, int m) {
        int len = lo.length();
        if (pos == len) {
            return rem == 0 ? "" : null;
        }
        tightLow &= !lo.substring(pos).chars().allMatch(c -> c == '0') || pos == 0;
        tightHigh &= !hi.substring(pos).chars().allMatch(c -> c == '9');
        if (!tightLow && !tightHigh) {
            return free(len - pos, rem, m);
        }
        String key = "i" + lo + "|" + hi + "|" + pos + tightLow + tightHigh + rem + "|" + m;
        Optional<String> known = memo.get(key);
        if (known != null) {
            return known.orElse(null);
        }
        int from = tightLow ? lo.charAt(pos) - '0' : 0;
        int to = tightHigh ? hi.charAt(pos) - '0' : 9;
        boolean tl = tightLow, th = tightHigh;
        String body = digitThen(from, to, d -> state(lo, hi, pos + 1, tl && d == from, th && d == to, (rem * 10 + d) % m, m));
        String result = body == null ? null : len - pos <= 1 ? body : g.rule("int", body);
        memo.put(key, Optional.ofNullable(result));
        return result;
    }

    // any `count` digits that take remainder `rem` to 0 mod m
    private String free(int count, int rem, int m) {
        if (m == 1) {
            return count == 0 ? "" : count == 1 ? "[0-9]" : "[0-9]{" + count + "}";
        }
        if (count == 0) {
            return rem == 0 ? "" : null;
        }
        String key = "f" + count + "|" + rem + "|" + m;
        Optional<String> known = memo.get(key);
        if (known != null) {
            return known.orElse(null);
        }
        String body = digitThen(0, 9, d -> free(count - 1, (rem * 10 + d) % m, m));
        String result = body == null ? null : g.rule("mult", body);
        memo.put(key, Optional.ofNullable(result));
        return result;
    }

    /** Decimals between lo and hi (null: unbounded), each bound inclusive or exclusive. */
    String decimals(BigDecimal lo, boolean loExclusive, BigDecimal hi, boolean hiExclusive) {
        if (lo != null && hi != null) {
            int c = lo.compareTo(hi);
            if (c > 0 || (c == 0 && (loExclusive || hiExclusive))) {
                return null;
            }
        }
        String positive = null;
        if (hi == null || hi.signum() >= 0) {
            boolean fromZero = lo == null || lo.signum() < 0;
            positive = magnitude(fromZero ? BigDecimal.ZERO : lo, !fromZero && loExclusive, hi, hiExclusive);
        }
        String negative = null;
        if (lo == null || lo.signum() < 0) { // -x with x in (max(0, -hi), -lo]: zero itself is the positive side's
            boolean belowZero = hi != null && hi.signum() < 0;
            String m = magnitude(belowZero ? hi.negate() : BigDecimal.ZERO, !belowZero || hiExclusive,
                    lo == null ? null : lo.negate(), loExclusive);
            negative = m == null ? null : "\"-\" " + m;
        }
        return Gbnf.alternatives(java.util.Arrays.asList(negative, positive));
    }

    // x in [a, b] (or open at either end) for a >= 0; b null: unbounded
    private String magnitude(BigDecimal a, boolean aEx, BigDecimal b, boolean bEx) {
        if (b != null) {
            int c = a.compareTo(b);
            if (c > 0 || (c == 0 && (aEx || bEx))) {
                return null;
            }
        }
        BigInteger ai = a.setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
        String af = fractionDigits(a);
        if (b != null) {
            BigInteger bi = b.setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
            String bf = fractionDigits(b);
            if (ai.equals(bi)) {
                return Gbnf.sequence(Gbnf.literal(ai.toString()), fraction(af, aEx, bf, bEx));
            }
            String first = Gbnf.sequence(Gbnf.literal(ai.toString()), fraction(af, aEx, null, false));
            String middle = ai.add(BigInteger.ONE).compareTo(bi.subtract(BigInteger.ONE)) <= 0
                    ? Gbnf.sequence(digits(ai.add(BigInteger.ONE), bi.subtract(BigInteger.ONE), 1), anyFraction()) : null;
            String last = Gbnf.sequence(Gbnf.literal(bi.toString()), fraction(null, false, bf, bEx));
            return Gbnf.alternatives(java.util.Arrays.asList(first, middle, last));
        }
        String first = Gbnf.sequence(Gbnf.literal(ai.toString()), fraction(af, aEx, null, false));
        String rest = Gbnf.sequence(digits(ai.add(BigInteger.ONE), ai.add(BigInteger.ONE).add(CAP), 1), anyFraction());
        return Gbnf.alternatives(java.util.Arrays.asList(first, rest));
    }

    static String anyFraction() {
        return "(\".\" [0-9]{1," + FRACTION_DIGITS + "})?";
    }

    // the digits after the point, without trailing zeros ("" for an integer)
    private static String fractionDigits(BigDecimal x) {
        BigDecimal f = x.subtract(new BigDecimal(x.setScale(0, RoundingMode.FLOOR).toBigIntegerExact())).stripTrailingZeros();
        return f.signum() == 0 ? "" : f.toPlainString().substring(2);
    }

    /**
     * The optional ".digits" after an integer part, for a fraction f in [0.A, 0.B] (A null: no lower bound, B null:
     * none above; each end exclusive or not).
     */
    private String fraction(String a, boolean aEx, String b, boolean bEx) {
        String digits = fractionDigit(a, aEx, b, bEx, 0, a != null, b != null);
        boolean noFraction = endOk(a, aEx, b, bEx, 0, a != null, b != null);
        return Gbnf.alternatives(java.util.Arrays.asList(noFraction ? "" : null,
                digits == null ? null : "\".\" " + digits));
    }

    // may the digits end at position i (the rest of the fraction being zero)?
    private static boolean endOk(String a, boolean aEx, String b, boolean bEx, int i, boolean tl, boolean th) {
        boolean low = !tl || (i >= a.length() && !aEx);
        boolean high = !th || !bEx || i < b.length();
        return low && high;
    }

    // exactly one digit at position i, then the rest (which may end)
    private String fractionDigit(String a, boolean aEx, String b, boolean bEx, int i, boolean tl, boolean th) {
        if (!tl && !th) {
            return "[0-9]{1," + FRACTION_DIGITS + "}";
        }
        String key = "d" + a + aEx + "|" + b + bEx + "|" + i + tl + th;
        Optional<String> known = memo.get(key);
        if (known != null) {
            return known.orElse(null);
        }
        int from = tl ? digitAt(a, i) : 0;
        int to = th ? digitAt(b, i) : 9;
        String body = digitThen(from, to, d -> fractionRest(a, aEx, b, bEx, i + 1, tl && d == from, th && d == to));
        String result = body == null ? null : g.rule("frac", body);
        memo.put(key, Optional.ofNullable(result));
        return result;
    }

    // the digits from position i on, which may be none
    private String fractionRest(String a, boolean aEx, String b, boolean bEx, int i, boolean tl, boolean th) {
        if (tl && i >= a.length() && !aEx) {
            tl = false; // whatever follows keeps f >= A
        }
        if (!tl && !th) {
            return "[0-9]{0," + FRACTION_DIGITS + "}";
        }
        if (th && i >= b.length()) { // f equals B so far: only zeros may follow, and only when B is included
            return tl || bEx ? null : "\"0\"{0," + FRACTION_DIGITS + "}";
        }
        if (tl && !th && i >= a.length()) { // f equals A so far and A is excluded: a non-zero digit must follow
            return "\"0\"{0," + FRACTION_DIGITS + "} [1-9] [0-9]{0," + FRACTION_DIGITS + "}";
        }
        String next = fractionDigit(a, aEx, b, bEx, i, tl, th);
        boolean end = endOk(a, aEx, b, bEx, i, tl, th);
        return Gbnf.alternatives(java.util.Arrays.asList(end ? "" : null, next));
    }

    /** A digit from..to, then what follows it: digits with the same continuation share one character class. */
    private static String digitThen(int from, int to, java.util.function.IntFunction<String> next) {
        Map<String, List<Integer>> byNext = new LinkedHashMap<>();
        for (int d = from; d <= to; d++) {
            String rest = next.apply(d);
            if (rest != null) {
                byNext.computeIfAbsent(rest, k -> new ArrayList<>()).add(d);
            }
        }
        return Gbnf.alternatives(byNext.entrySet().stream()
                .map(e -> Gbnf.sequence(digitClass(e.getValue()), e.getKey())).toList());
    }

    private static int digitAt(String s, int i) {
        return i < s.length() ? s.charAt(i) - '0' : 0;
    }

    private static String digitClass(List<Integer> ds) {
        if (ds.size() == 1) {
            return "\"" + ds.getFirst() + "\"";
        }
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < ds.size(); ) {
            int j = i;
            while (j + 1 < ds.size() && ds.get(j + 1) == ds.get(j) + 1) {
                j++;
            }
            out.append(ds.get(i));
            if (j > i) {
                out.append('-').append(ds.get(j));
            }
            i = j + 1;
        }
        return out.append(']').toString();
    }

    private static BigInteger ceilDiv(BigInteger x, BigInteger d) {
        BigInteger[] qr = x.divideAndRemainder(d);
        return qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0];
    }
}
