package io.partnerhooks.server.it;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which node holds TCP connections to the receiver, read from Linux's /proc: the receiver sees
 * identical requests from every node, so this is how a test can tell that each node really sent
 * deliveries. Connections are kept alive between sends, so sampling a few times a second sees
 * every node that delivered. Elsewhere than Linux it reports nothing.
 */
final class ReceiverConnections {
    private final int receiverPort;
    /** node name → distinct local ports it was seen using towards the receiver. */
    private final Map<String, Set<Integer>> seen = new ConcurrentHashMap<>();

    private volatile Thread sampler;

    ReceiverConnections(int receiverPort) {
        this.receiverPort = receiverPort;
    }

    static boolean supported() {
        return Files.isReadable(Path.of("/proc/net/tcp")) && Files.isDirectory(Path.of("/proc/self/fd"));
    }

    void startSampling(List<Node> nodes) {
        if (!supported()) {
            return;
        }
        sampler = Thread.ofPlatform().name("connection-sampler").daemon(true).start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                sample(nodes);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    void stopSampling(List<Node> nodes) throws InterruptedException {
        Thread t = sampler;
        if (t != null) {
            t.interrupt();
            t.join(5_000);
            sample(nodes);
        }
    }

    /** node name → how many distinct connections to the receiver it was seen with. */
    Map<String, Integer> connectionsByNode() {
        Map<String, Integer> out = new HashMap<>();
        seen.forEach((node, ports) -> out.put(node, ports.size()));
        return out;
    }

    private void sample(List<Node> nodes) {
        Map<Long, Integer> localPortByInode = new HashMap<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    // sl local rem st ... inode; 01 is ESTABLISHED
                    if (f.length < 10 || !f[3].equals("01") || !f[2].contains(":")) {
                        continue;
                    }
                    int remotePort = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
                    if (remotePort == receiverPort) {
                        int localPort = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
                        localPortByInode.put(Long.parseLong(f[9]), localPort);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // a table may be missing (no IPv6) or change while read; the next sample will do
            }
        }
        if (localPortByInode.isEmpty()) {
            return;
        }
        for (Node n : nodes) {
            long pid = n.pid();
            if (pid <= 0) {
                continue;
            }
            Set<Integer> ports = new HashSet<>();
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
                for (Path fd : fds) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) {
                            Integer port =
                                    localPortByInode.get(Long.parseLong(target.substring(8, target.length() - 1)));
                            if (port != null) {
                                ports.add(port);
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        // the descriptor closed while we looked
                    }
                }
            } catch (IOException | RuntimeException e) {
                continue;
            }
            if (!ports.isEmpty()) {
                seen.computeIfAbsent(n.name, k -> ConcurrentHashMap.newKeySet()).addAll(ports);
            }
        }
    }
}
