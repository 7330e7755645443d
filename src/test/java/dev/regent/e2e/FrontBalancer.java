package dev.regent.e2e;

import static org.awaitility.Awaitility.await;

import dev.regent.testing.LoopbackPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The load balancer in front of a fleet: nginx (the regent/nginx:dev image, host network) on
 * 127.0.0.1 over the hosts' live ports, keep-alive upstream connections, passive failover: a
 * request that meets a refused connection, a timeout, a 502 or a 503 is tried on the next host,
 * and a host that failed once is left out for 2 s.
 */
final class FrontBalancer implements AutoCloseable {
    final int port;
    private final String container;
    private final Path folder;
    private final Thread closeOnExit = new Thread(this::remove, "front-balancer-remove");

    private FrontBalancer(int port, String container, Path folder) {
        this.port = port;
        this.container = container;
        this.folder = folder;
        Runtime.getRuntime().addShutdownHook(closeOnExit);
    }

    static FrontBalancer over(List<Integer> livePorts) throws IOException {
        int port = LoopbackPorts.reserve();
        Path folder = Files.createTempDirectory("regent-fleet-lb-");
        String servers = livePorts.stream()
                .map(p -> "        server 127.0.0.1:" + p + " max_fails=1 fail_timeout=2s;")
                .collect(Collectors.joining("\n"));
        Files.writeString(folder.resolve("nginx.conf"), """
                worker_processes 1;
                pid /tmp/regent-fleet-lb.pid;
                error_log stderr warn;
                events { worker_connections 1024; }
                http {
                    access_log off;
                    upstream fleet {
                %s
                        keepalive 32;
                    }
                    server {
                        listen 127.0.0.1:%d;
                        location / {
                            proxy_pass http://fleet;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_set_header Host $host;
                            proxy_next_upstream error timeout http_502 http_503;
                            proxy_next_upstream_tries 3;
                            proxy_connect_timeout 1s;
                            proxy_read_timeout 10s;
                        }
                    }
                }
                """.formatted(servers, port));
        String container = "regente2e-fleetlb-" + port;
        var run = BoundedCommand.run(folder, List.of("docker", "run", "-d", "--name", container, "--network", "host",
                "-v", folder.resolve("nginx.conf") + ":/etc/regent-lb.conf:ro", "regent/nginx:dev",
                "nginx", "-c", "/etc/regent-lb.conf", "-g", "daemon off;"), java.util.Map.of(), Duration.ofMinutes(2));
        if (run.exit() != 0) {
            throw new IllegalStateException("could not start the load balancer:\n" + run.output());
        }
        var balancer = new FrontBalancer(port, container, folder);
        await("the load balancer listens on " + port).atMost(Duration.ofSeconds(60)).until(balancer::listening);
        return balancer;
    }

    private boolean listening() {
        try (var socket = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            Runtime.getRuntime().removeShutdownHook(closeOnExit);
        } catch (IllegalStateException e) {
            // The JVM is exiting: the hook removes the container.
        }
        remove();
    }

    private void remove() {
        BoundedCommand.run(folder, List.of("docker", "rm", "-f", container), java.util.Map.of(), Duration.ofMinutes(1));
        folder.resolve("nginx.conf").toFile().delete();
        folder.toFile().delete();
    }
}
