package io.streamback.config;

import java.util.Arrays;
import java.util.BitSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A raw streams URL, well-formed or not, with every character that could belong to a credential
 * marked, so that messages can quote it, or any piece of it, with those characters shown as
 * {@code ****}. Marked are, after each {@code //}: everything up to the last {@code @} of that
 * authority, and the password of the Python syntax ({@code USER@PASSWORD:HOST:PORT}), which follows
 * that {@code @}; the same holds for the text between those authorities, should a {@code //} be
 * missing. The rules look at characters only, never at whether the URL parses, so a raw
 * {@code &}, {@code @}, {@code #} or {@code %} in a password cannot move it out of the marked part.
 */
final class RedactedUrl {
    static final String MASK = "****";
    /** Where the next setting with a URL starts: the authority of the previous one ends there. */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern NEXT_URL_SETTING = Pattern.compile("&[A-Za-z_]+=[A-Za-z]+://");

    private final String text;
    private final BitSet secret;

    RedactedUrl(String text) {
        this.text = text;
        this.secret = credentialCharacters(text);
    }

    /** The whole URL, credentials masked. */
    String shown() {
        return shown(0, text.length());
    }

    /** The characters from {@code start} to {@code end}, credentials masked. */
    String shown(int start, int end) {
        StringBuilder out = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            if (!secret.get(i)) {
                out.append(text.charAt(i));
            } else if (i == start || !secret.get(i - 1)) {
                out.append(MASK);
            }
        }
        return out.toString();
    }

    /** Whether any character from {@code start} to {@code end} might be part of a credential. */
    boolean touchesCredentials(int start, int end) {
        int next = secret.nextSetBit(start);
        return next >= 0 && next < end;
    }

    private static BitSet credentialCharacters(String text) {
        BitSet secret = new BitSet(text.length());
        BitSet authorities = new BitSet(text.length());
        for (int slashes = text.indexOf("//"); slashes >= 0; slashes = text.indexOf("//", slashes + 2)) {
            int start = slashes + 2;
            Matcher next = NEXT_URL_SETTING.matcher(text);
            int end = next.find(start) ? next.start() : text.length();
            authorities.set(start, end);
            markAuthority(text, start, end, true, secret);
        }
        // What lies outside every "//" authority (all of kafka:/user:pw@host, say) gets the same rules.
        for (int start = authorities.nextClearBit(0); start < text.length(); ) {
            int end = authorities.nextSetBit(start);
            end = end < 0 ? text.length() : end;
            markAuthority(text, start, end, false, secret);
            start = authorities.nextClearBit(end);
        }
        return secret;
    }

    private static void markAuthority(String text, int start, int end, boolean afterSlashes, BitSet secret) {
        int lastAt = text.lastIndexOf('@', end - 1);
        if (lastAt < start) {
            return;
        }
        secret.set(start, lastAt);
        // USER@PASSWORD:... unless the user holds a colon. Outside a "//" authority the user starts
        // after the last '/', '=' or '&' (of a scheme, or of the previous setting); should one in a
        // password fool this, more is masked, not less.
        int firstAt = text.indexOf('@', start);
        int userStart = start;
        for (int i = firstAt - 1; i >= start && !afterSlashes; i--) {
            if ("/=&".indexOf(text.charAt(i)) >= 0) {
                userStart = i + 1;
                break;
            }
        }
        boolean pythonSyntax = text.substring(userStart, firstAt).indexOf(':') < 0;
        int hostsStart = lastAt + 1;
        if (pythonSyntax) {
            // PASSWORD:HOST[:PORT][,HOST:PORT...] follows: the password runs up to the colon before the
            // last server's host, whatever ':' or '&' it holds itself.
            int[] colons = colonsOutsideBrackets(text, hostsStart, end);
            if (colons.length == 0) {
                secret.set(hostsStart, end);
                return;
            }
            int last = colons[colons.length - 1];
            int lastEnd = firstOf(text, last + 1, end, ",&/");
            boolean port = lastEnd > last + 1 && text.substring(last + 1, lastEnd).chars().allMatch(Character::isDigit);
            secret.set(hostsStart, port && colons.length >= 2 ? colons[colons.length - 2] : last);
        } else {
            // HOST:PORT follows; a second colon means more than a host and port came after the '@'.
            int[] colons = colonsOutsideBrackets(text, hostsStart, firstOf(text, hostsStart, end, ",&"));
            if (colons.length >= 2) {
                secret.set(hostsStart, colons[colons.length - 2]);
            }
        }
    }

    private static int firstOf(String text, int start, int end, String characters) {
        for (int i = start; i < end; i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return end;
    }

    /** The colons from {@code start} to {@code end}, but those of an IPv6 address in brackets. */
    private static int[] colonsOutsideBrackets(String text, int start, int end) {
        int[] found = new int[end - start];
        int count = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            int close = c == '[' ? text.indexOf(']', i) : -1;
            if (close > i && close < end && IPV6.matcher(text.substring(i + 1, close)).matches()) {
                i = close;
            } else if (c == ':') {
                found[count++] = i;
            }
        }
        return Arrays.copyOf(found, count);
    }
}
