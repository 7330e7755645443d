package dev.regent.fleet;

/**
 * A host of a fleet as the fleet file names it. paused: the host converges builds and stage but
 * never moves live. drained: as paused, and the site's load balancer is expected to send it
 * nothing (Regent only reports it).
 */
public record FleetHost(String name, boolean paused, boolean drained) {

    public boolean movesLive() {
        return !paused && !drained;
    }
}
