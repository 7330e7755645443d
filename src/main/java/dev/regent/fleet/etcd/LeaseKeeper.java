package dev.regent.fleet.etcd;

import dev.regent.fleet.FleetUnavailable;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Holds one host's etcd lease and renews it every third of its ttl, so it survives two missed
 * renewals. When etcd no longer knows the lease (it expired while this host could not reach a
 * quorum, or was revoked) the keeper forgets it, and the next {@link #lease} grants a new one:
 * keys written under the old lease are gone with it, and nothing carries them over.
 */
final class LeaseKeeper {

    private final Lease leases;
    private final Duration ttl;
    private final ScheduledExecutorService renewer;
    /** 0 when this host holds no lease (none granted yet, or etcd dropped it). Guarded by this. */
    private long leaseId;

    private LeaseKeeper(Lease leases, Duration ttl, String host) {
        this.leases = leases;
        this.ttl = ttl;
        this.renewer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "etcd-lease-" + host);
            thread.setDaemon(true);
            return thread;
        });
    }

    static LeaseKeeper start(Lease leases, Duration ttl, String host) {
        LeaseKeeper keeper = new LeaseKeeper(leases, ttl, host);
        long period = Math.max(100, ttl.toMillis() / 3);
        keeper.renewer.scheduleWithFixedDelay(keeper::renew, period, period, TimeUnit.MILLISECONDS);
        return keeper;
    }

    /** The lease this host holds, granted now if it holds none. */
    synchronized long lease(CallDeadline deadline) throws FleetUnavailable {
        if (leaseId == 0) {
            long seconds = Math.max(1, (ttl.toMillis() + 999) / 1000);
            leaseId = deadline.await(leases.grant(seconds), "grant a lease of " + seconds + " s").getID();
        }
        return leaseId;
    }

    /** etcd answered that lease no longer exists; a later {@link #lease} grants a new one. */
    synchronized void lost(long lease) {
        if (leaseId == lease) {
            leaseId = 0;
        }
    }

    private void renew() {
        long lease;
        synchronized (this) {
            lease = leaseId;
        }
        if (lease == 0) {
            return;
        }
        CompletableFuture<LeaseKeepAliveResponse> call = leases.keepAliveOnce(lease);
        try {
            // etcd answers a keep-alive of a lease it does not know with ttl 0.
            if (CallDeadline.in(ttl.dividedBy(3)).await(call, "renew the lease").getTTL() <= 0) {
                lost(lease);
            }
        } catch (CallDeadline.LeaseNotFound e) {
            lost(lease);
        } catch (FleetUnavailable e) {
            // No quorum now: the next renewal tries again; if the lease expires meanwhile, etcd says so then.
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: a renewal must not end the renewals.
        }
    }

    /** Stops renewing without revoking: the lease and its keys live on until the ttl ends. */
    void abandon() {
        renewer.shutdownNow();
    }

    /** Stops renewing and revokes the lease (best effort within bound), dropping its keys at once. */
    void close(Duration bound) {
        abandon();
        long lease;
        synchronized (this) {
            lease = leaseId;
            leaseId = 0;
        }
        if (lease != 0) {
            try {
                CallDeadline.in(bound).await(leases.revoke(lease), "revoke the lease");
            } catch (FleetUnavailable e) {
                // Unreachable store: the lease ends with its ttl instead.
            }
        }
    }
}
