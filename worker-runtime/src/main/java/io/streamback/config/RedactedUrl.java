package io.streamback.config;

import java.util.Arrays;
import java.util.BitSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A raw streams URL, well-formed or not, with every character that could belong to a credential
 * marked, so that messages can quote it, or any piece of it, with those characters shown as
 * {@code ****}. Marked are, in each setting whose value looks like a URL (the next one starts at
 * {@code &NAME=SCHEME:/}): everything after {@code //} (or a lone {@code /}, or the {@code =}) up
 * to the last {@code @}, and the password of the Python syntax ({@code USER@PASSWORD:HOST:PORT}),
 * which follows that {@code @}. The rules look at characters only, never at whether the URL parses, so a raw
 * {@code &}, {@code @}, {@code #} or {@code %} in a password cannot move it out of the marked part.
 */
final class RedactedUrl {
    static final String MASK = "****";
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");
    /** Where the next setting with a URL starts: the authority of the previous one ends there. */
    private static final Pattern NEXT_URL_SETTING = Pattern.compile("&[A-Za-z_]+=[A-Za-z][A-Za-z-]*:/");
    /** What may come before an authority: a setting's name, '=' and scheme, all optional. */
    private static final Pattern SETTING_AND_SCHEME = Pattern.compile("\\s*&?\\s*[A-Za-z_]*\\s*=?\\s*[A-Za-z-]*");

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
        Matcher next = NEXT_URL_SETTING.matcher(text);
        int start = 0;
        while (start < text.length()) {
            int end = next.find(start + 1) ? next.start() : text.length();
            markAuthority(text, authorityStart(text, start, end), end, secret);
            start = end;
        }
        return secret;
    }

    /** After the setting's {@code scheme://} (or {@code scheme:/}), else after its '=', else where it starts. */
    private static int authorityStart(String text, int start, int end) {
        // Only a ':/' or '=' with nothing but a name and scheme before it: one in a password is no start.
        int slashes = text.indexOf(":/", start);
        if (slashes >= 0 && slashes < end && SETTING_AND_SCHEME.matcher(text.substring(start, slashes)).matches()) {
            int after = slashes + 2;
            return after < end && text.charAt(after) == '/' ? after + 1 : after;
        }
        int equals = text.indexOf('=', start);
        if (equals >= 0 && equals < end && SETTING_AND_SCHEME.matcher(text.substring(start, equals)).matches()) {
            return equals + 1;
        }
        return start;
    }

    private static void markAuthority(String text, int start, int end, BitSet secret) {
        int lastAt = text.lastIndexOf('@', end - 1);
        if (lastAt < start) {
            return;
        }
        secret.set(start, lastAt);
        int hostsStart = lastAt + 1;
        int[] colons = colonsOutsideBrackets(text, hostsStart, end);
        boolean userHasColon = text.substring(start, text.indexOf('@', start)).indexOf(':') >= 0;
        if (userHasColon && colons.length < 2) {
            return; // URI syntax: USER:PASSWORD@HOST[:PORT], the password ending at the last '@'
        }
        // The Python syntax, USER@PASSWORD:HOST[:PORT][,HOST:PORT...], or more colons than a host and
        // port have: the password runs up to the colon before the last server's host, whatever ':'
        // or '&' it holds itself.
        if (colons.length == 0) {
            secret.set(hostsStart, end);
            return;
        }
        int last = colons[colons.length - 1];
        int lastEnd = firstOf(text, last + 1, end, ",&/");
        boolean port = lastEnd > last + 1 && text.substring(last + 1, lastEnd).chars().allMatch(Character::isDigit);
        secret.set(hostsStart, port && colons.length >= 2 ? colons[colons.length - 2] : last);
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
