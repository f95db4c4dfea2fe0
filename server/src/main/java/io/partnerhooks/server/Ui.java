package io.partnerhooks.server;

import io.partnerhooks.server.Config.InvalidConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The dashboard as partners see it: PUBLIC_URL, the origin portal links are made with (null:
 * {@code http://localhost:<port>}); TITLE, the name in the header and the page titles; ACCENT,
 * the header and link colour (null: the built-in look). ACCENT is checked strictly, as it goes
 * into the page's CSS: {@code #rgb}, {@code #rrggbb} or one of {@link #NAMED_COLOURS}.
 */
public record Ui(String publicUrl, String title, String accent) {
    public static final String DEFAULT_TITLE = "Partnerhooks";
    public static final Set<String> NAMED_COLOURS = Set.of(
            "black", "white", "gray", "grey", "silver", "red", "maroon", "orange", "gold", "yellow", "olive", "green",
            "lime", "teal", "aqua", "navy", "blue", "purple", "fuchsia", "pink", "brown", "crimson", "indigo", "tomato",
            "coral");
    public static final Ui DEFAULTS = new Ui(null, DEFAULT_TITLE, null);

    public Ui {
        publicUrl = publicUrl == null || publicUrl.isBlank() ? null : publicUrl.strip();
        if (publicUrl != null) {
            URI u;
            try {
                u = new URI(publicUrl);
            } catch (URISyntaxException e) {
                throw new InvalidConfigException("PUBLIC_URL is not a URL: " + e.getReason());
            }
            if (u.getScheme() == null
                    || !(u.getScheme().equalsIgnoreCase("http") || u.getScheme().equalsIgnoreCase("https"))
                    || u.getHost() == null
                    || u.getRawUserInfo() != null
                    || u.getRawQuery() != null
                    || u.getRawFragment() != null) {
                throw new InvalidConfigException(
                        "PUBLIC_URL must be an http:// or https:// URL without user, query or fragment,"
                                + " such as https://hooks.example.com, got '" + publicUrl + "'");
            }
            while (publicUrl.endsWith("/")) {
                publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
            }
        }
        title = title == null || title.isBlank() ? DEFAULT_TITLE : title.strip();
        if (title.length() > 80 || title.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidConfigException("UI_TITLE must be at most 80 characters, without control characters");
        }
        accent = accent == null || accent.isBlank() ? null : accent.strip().toLowerCase(Locale.ROOT);
        if (accent != null && !accent.matches("#[0-9a-f]{3}|#[0-9a-f]{6}") && !NAMED_COLOURS.contains(accent)) {
            throw new InvalidConfigException("UI_ACCENT must be a colour as #rgb, #rrggbb or one of "
                    + new TreeSet<>(NAMED_COLOURS) + ", got '" + accent + "'");
        }
    }
}
