package dev.regent.fleet.etcd;

import dev.regent.fleet.Coordinator;
import dev.regent.fleet.FleetUnavailable;
import dev.regent.fleet.FleetView;
import dev.regent.fleet.Halt;
import dev.regent.fleet.HostRecord;
import dev.regent.fleet.MigrationRun;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.regent.fleet.etcd.FleetKeys.bytes;

/**
 * The Coordinator on etcd (key layout: {@link FleetKeys}). Decisions rest on single
 * transactions, so each is atomic and linearizable: a member cut off from its quorum cannot
 * answer them. The slot queue is etcd's lock recipe counted: queueing puts the host's slot key
 * if absent, and the keys of the revision, ordered by create revision, are the queue.
 */
public final class EtcdCoordinator implements Coordinator {

    static final Duration CALL_BOUND = Duration.ofSeconds(2);
    /** The first call also opens the connection to a member, so it gets longer than the others. */
    private static final Duration CONNECT_BOUND = Duration.ofSeconds(5);
    private static final Duration CLOSE_BOUND = Duration.ofSeconds(1);
    private static final GetOption PREFIX = GetOption.builder().isPrefix(true).build();
    private static final GetOption QUEUE_ORDER = GetOption.builder().isPrefix(true)
            .withSortField(GetOption.SortTarget.CREATE).withSortOrder(GetOption.SortOrder.ASCEND).build();

    private final Client client;
    private final KV kv;
    private final FleetKeys keys;
    private final String host;
    private final LeaseKeeper leaseKeeper;

    private EtcdCoordinator(Client client, FleetKeys keys, String host, LeaseKeeper leaseKeeper) {
        this.client = client;
        this.kv = client.getKVClient();
        this.keys = keys;
        this.host = host;
        this.leaseKeeper = leaseKeeper;
    }

    /** Connects host to fleet's keys (prefix {@code /regent/<fleet>/}) and takes its lease of ttl. */
    public static Coordinator connect(List<URI> endpoints, String fleet, String host, Duration ttl) throws FleetUnavailable {
        return open(endpoints, FleetKeys.forFleet(fleet), host, ttl);
    }

    static EtcdCoordinator open(List<URI> endpoints, FleetKeys keys, String host, Duration ttl) throws FleetUnavailable {
        if (host.isBlank() || host.contains("/")) {
            throw new IllegalArgumentException("a host name is one non-empty key segment: '" + host + "'");
        }
        Client client = Client.builder().endpoints(endpoints).connectTimeout(CONNECT_BOUND).retryMaxDuration(CALL_BOUND).build();
        LeaseKeeper leaseKeeper = LeaseKeeper.start(client.getLeaseClient(), ttl, host);
        try {
            leaseKeeper.lease(CallDeadline.in(CONNECT_BOUND));
        } catch (FleetUnavailable e) {
            leaseKeeper.abandon();
            client.close();
            throw e;
        }
        return new EtcdCoordinator(client, keys, host, leaseKeeper);
    }

    @Override
    public void publish(HostRecord record) throws FleetUnavailable {
        underLease("publish " + host + "'s record", (lease, deadline) ->
                deadline.await(kv.put(bytes(keys.host(host)), RecordJson.write(record), leased(lease)), "publish"));
    }

    @Override
    public FleetView view(String revision) throws FleetUnavailable {
        CallDeadline deadline = CallDeadline.in(CALL_BOUND);
        // One transaction: the records, the queue and the halt are read at one revision.
        TxnResponse read = deadline.await(kv.txn().Then(
                Op.get(bytes(keys.hosts()), PREFIX),
                Op.get(bytes(keys.slots(revision)), QUEUE_ORDER),
                Op.get(bytes(keys.halt(revision)), GetOption.DEFAULT)).commit(), "view the fleet");
        List<GetResponse> answers = read.getGetResponses();
        Map<String, HostRecord> records = new HashMap<>();
        for (KeyValue entry : answers.get(0).getKvs()) {
            records.put(FleetKeys.lastSegment(entry.getKey(), keys.hosts()), RecordJson.read(entry.getValue(), HostRecord.class));
        }
        return new FleetView(records, queue(answers.get(1), revision), value(answers.get(2), Halt.class));
    }

    @Override
    public boolean queue(String revision, int maxParallel) throws FleetUnavailable {
        ByteSequence slot = bytes(keys.slot(revision, host));
        ByteSequence slots = bytes(keys.slots(revision));
        List<String> queue = underLease("queue for a slot of " + revision, (lease, deadline) -> {
            // Put-if-absent keeps an already queued host's create revision, i.e. its place.
            TxnResponse answer = deadline.await(kv.txn()
                    .If(new Cmp(slot, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                    .Then(Op.put(slot, bytes(host), leased(lease)), Op.get(slots, QUEUE_ORDER))
                    .Else(Op.get(slots, QUEUE_ORDER)).commit(), "queue");
            return queue(answer.getGetResponses().get(0), revision);
        });
        int place = queue.indexOf(host);
        return place >= 0 && place < maxParallel;
    }

    @Override
    public void release(String revision) throws FleetUnavailable {
        CallDeadline.in(CALL_BOUND).await(kv.delete(bytes(keys.slot(revision, host))), "release the slot of " + revision);
    }

    @Override
    public Halt halt(Halt halt) throws FleetUnavailable {
        ByteSequence key = bytes(keys.halt(halt.revision()));
        TxnResponse answer = CallDeadline.in(CALL_BOUND).await(kv.txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(key, RecordJson.write(halt), PutOption.DEFAULT))
                .Else(Op.get(key, GetOption.DEFAULT)).commit(), "halt " + halt.revision());
        if (answer.isSucceeded()) {
            return halt;
        }
        return value(answer.getGetResponses().get(0), Halt.class)
                .orElseThrow(() -> new FleetUnavailable("the halt of " + halt.revision() + " vanished while it was read"));
    }

    @Override
    public boolean leadMigration(String revision) throws FleetUnavailable {
        ByteSequence lead = bytes(keys.migrationLead(revision));
        return underLease("lead the migration of " + revision, (lease, deadline) -> {
            TxnResponse answer = deadline.await(kv.txn()
                    .If(new Cmp(lead, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                    .Then(Op.put(lead, bytes(host), leased(lease)))
                    .Else(Op.get(lead, GetOption.DEFAULT)).commit(), "lead");
            return answer.isSucceeded() || answer.getGetResponses().get(0).getKvs().stream()
                    .anyMatch(entry -> entry.getValue().equals(bytes(host)));
        });
    }

    @Override
    public Optional<MigrationRun> migrationResult(String revision) throws FleetUnavailable {
        GetResponse answer = CallDeadline.in(CALL_BOUND).await(kv.get(bytes(keys.migrationResult(revision))),
                "read the migration result of " + revision);
        return value(answer, MigrationRun.class);
    }

    @Override
    public void recordMigration(MigrationRun run) throws FleetUnavailable {
        ByteSequence lead = bytes(keys.migrationLead(run.revision()));
        ByteSequence result = bytes(keys.migrationResult(run.revision()));
        // The result and the end of this host's lead in one step: no one leads again before the result stands.
        CallDeadline.in(CALL_BOUND).await(kv.txn()
                .If(new Cmp(lead, Cmp.Op.EQUAL, CmpTarget.value(bytes(host))))
                .Then(Op.put(result, RecordJson.write(run), PutOption.DEFAULT), Op.delete(lead, DeleteOption.DEFAULT))
                .Else(Op.put(result, RecordJson.write(run), PutOption.DEFAULT)).commit(), "record the migration of " + run.revision());
    }

    @Override
    public void close() {
        leaseKeeper.close(CLOSE_BOUND);
        client.close();
    }

    /** Ends this coordinator as a crash would: no more renewals, no revoke; its keys live out the ttl. */
    void abandon() {
        leaseKeeper.abandon();
        client.close();
    }

    private List<String> queue(GetResponse slots, String revision) {
        return slots.getKvs().stream().map(entry -> FleetKeys.lastSegment(entry.getKey(), keys.slots(revision))).toList();
    }

    private static <T> Optional<T> value(GetResponse answer, Class<T> type) throws FleetUnavailable {
        if (answer.getKvs().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(RecordJson.read(answer.getKvs().get(0).getValue(), type));
    }

    private static PutOption leased(long lease) {
        return PutOption.builder().withLeaseId(lease).build();
    }

    /**
     * Runs a write under this host's lease; when etcd says the lease expired (this host was cut
     * off longer than its ttl), takes a new lease and runs it once more, within the same bound.
     */
    private <T> T underLease(String what, LeasedCall<T> call) throws FleetUnavailable {
        CallDeadline deadline = CallDeadline.in(CALL_BOUND);
        long lease = leaseKeeper.lease(deadline);
        try {
            return call.run(lease, deadline);
        } catch (CallDeadline.LeaseNotFound e) {
            leaseKeeper.lost(lease);
            return call.run(leaseKeeper.lease(deadline), deadline);
        } catch (FleetUnavailable e) {
            throw new FleetUnavailable(what + ": " + e.getMessage(), e);
        }
    }

    private interface LeasedCall<T> {
        T run(long lease, CallDeadline deadline) throws FleetUnavailable;
    }
}
