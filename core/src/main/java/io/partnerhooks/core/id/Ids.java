package io.partnerhooks.core.id;

/** Id prefixes, in one place so that a check and a generator can never disagree. */
public final class Ids {
    public static final String PARTNER = "ptn_";
    public static final String ENDPOINT = "ep_";
    public static final String EVENT = "evt_";
    public static final String DELIVERY = "dlv_";
    public static final String ATTEMPT = "att_";
    public static final String API_KEY = "key_";
    public static final String REPLAY = "rpl_";

    private Ids() {}

    static String require(String value, String prefix, String what) {
        if (value == null || !value.startsWith(prefix) || value.length() <= prefix.length() || value.length() > 64) {
            throw new IllegalArgumentException("not a " + what + " id: " + value);
        }
        return value;
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
