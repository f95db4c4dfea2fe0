package io.partnerhooks.core.testing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A nanosecond source (in place of {@code System::nanoTime}) that moves only when a test moves it. */
public final class Ticker implements LongSupplier {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    public void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Override
    public long getAsLong() {
        return nanos.get();
    }
}
