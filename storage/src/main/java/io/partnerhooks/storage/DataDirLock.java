package io.partnerhooks.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * An exclusive lock on the SQLite data directory, held by the process that serves it (and by a
 * restore while it replaces the database), so that a restore cannot swap the file under a running
 * server and a second server cannot start on a directory that is being restored. The operating
 * system drops the lock when its process dies, also after {@code kill -9}: nothing stale is left.
 * The lock file holds the owner's pid, for the message the next process shows.
 */
public final class DataDirLock implements AutoCloseable {
    public static final String FILE = "partnerhooks.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Thrown when another process holds the lock. */
    public static final class HeldException extends IllegalStateException {
        public HeldException(String message) {
            super(message);
        }
    }

    /**
     * Takes the lock or fails with {@link HeldException} naming the process that holds it. Inside one
     * JVM that already holds it (tests that run several stores in one process) this returns a lock
     * that does nothing: the JVM's own lock still keeps other processes out.
     */
    public static DataDirLock acquire(Path dataDir, String purpose) {
        Path file = dataDir.resolve(FILE);
        FileChannel ch = null;
        try {
            Files.createDirectories(dataDir);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                ch.close();
                return new DataDirLock(null, null);
            }
            if (l == null) {
                String owner = owner(ch);
                ch.close();
                throw new HeldException("the data directory " + dataDir.toAbsolutePath()
                        + " is in use by another Partnerhooks" + " process"
                        + (owner.isEmpty() ? "" : " (pid " + owner + ")") + "; stop it before you " + purpose);
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            return new DataDirLock(ch, l);
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            throw new UncheckedIOException("cannot lock the data directory " + dataDir, e);
        }
    }

    private static String owner(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(32);
        ch.read(b, 0);
        return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
    }

    @Override
    public void close() {
        if (channel == null) {
            return;
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }
}
