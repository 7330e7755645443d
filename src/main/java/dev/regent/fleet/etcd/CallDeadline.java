package dev.regent.fleet.etcd;

import dev.regent.fleet.FleetUnavailable;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The time left for one Coordinator call, shared by its round trips to etcd, so a call that
 * needs a new lease and then a transaction still ends within its bound. Every failure becomes
 * {@link FleetUnavailable}, except a lease etcd no longer knows, which is {@link LeaseNotFound}
 * so the caller can take a new lease and try again.
 */
final class CallDeadline {

    private final long endNanos;

    private CallDeadline(long endNanos) {
        this.endNanos = endNanos;
    }

    static CallDeadline in(Duration bound) {
        return new CallDeadline(System.nanoTime() + bound.toNanos());
    }

    <T> T await(CompletableFuture<T> call, String what) throws FleetUnavailable {
        long left = endNanos - System.nanoTime();
        try {
            if (left <= 0) {
                throw new TimeoutException();
            }
            return call.get(left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new FleetUnavailable(what + ": the fleet store did not answer in time", e);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new FleetUnavailable(what + ": interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (isLeaseNotFound(cause)) {
                throw new LeaseNotFound(what, cause);
            }
            throw new FleetUnavailable(what + ": " + cause.getMessage(), cause);
        }
    }

    /**
     * etcd's answer to a write under an expired lease: NOT_FOUND "etcdserver: requested lease not
     * found", which jetcd passes on as grpc's status exception or as its own EtcdException.
     */
    private static boolean isLeaseNotFound(Throwable error) {
        Status status = Status.fromThrowable(error);
        if (status.getCode() == Status.Code.NOT_FOUND && String.valueOf(status.getDescription()).contains("lease not found")) {
            return true;
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof EtcdException etcd && etcd.getErrorCode() == ErrorCode.NOT_FOUND
                    && String.valueOf(etcd.getMessage()).contains("lease not found")) {
                return true;
            }
        }
        return false;
    }

    /** etcd answered that the lease a write named has expired (or was revoked). */
    static final class LeaseNotFound extends FleetUnavailable {
        LeaseNotFound(String what, Throwable cause) {
            super(what + ": the lease expired", cause);
        }
    }
}
