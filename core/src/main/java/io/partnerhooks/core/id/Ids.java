package io.partnerhooks.core.id;

import java.util.regex.Pattern;

/** Id prefixes, in one place so that a check and a generator can never disagree. */
public final class Ids {
    public static final String PARTNER = "ptn_";
    public static final String ENDPOINT = "ep_";
    public static final String EVENT = "evt_";
    public static final String DELIVERY = "dlv_";
    public static final String ATTEMPT = "att_";
    public static final String API_KEY = "key_";
    public static final String REPLAY = "rpl_";

    /**
     * The shape of ids the platform chooses (workspaces, channels, clients, accounts): 1 to 128
     * letters, digits or {@code _ . : -}, starting with a letter or digit. They carry no prefix.
     */
    public static final Pattern EXTERNAL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");

    private Ids() {}

    static String require(String value, String prefix, String what) {
        if (value == null || !value.startsWith(prefix) || value.length() <= prefix.length() || value.length() > 64) {
            throw new IllegalArgumentException("not a " + what + " id: " + value);
        }
        return value;
    }

    static String requireExternal(String value, String what) {
        if (!isExternal(value)) {
            throw new IllegalArgumentException("not a " + what + " id: " + value);
        }
        return value;
    }

    /** True when the text has the shape of an id the platform chooses (see {@link #EXTERNAL}). */
    public static boolean isExternal(String value) {
        return value != null && EXTERNAL.matcher(value).matches();
    }

    /** True when the text has the shape of an id with this prefix; used to answer 404 instead of 500 for junk. */
    public static boolean looksLike(String value, String prefix) {
        if (value == null || !value.startsWith(prefix) || value.length() <= prefix.length() || value.length() > 64) {
            return false;
        }
        for (int i = prefix.length(); i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
