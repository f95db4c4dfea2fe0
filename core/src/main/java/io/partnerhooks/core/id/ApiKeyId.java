package io.partnerhooks.core.id;

/** The id of one of a partner's API keys (not the key itself); starts with {@link Ids#API_KEY}. */
public record ApiKeyId(String value) {
    public ApiKeyId {
        Ids.require(value, Ids.API_KEY, "API key");
    }

    @Override
    public String toString() {
        return value;
    }
}
