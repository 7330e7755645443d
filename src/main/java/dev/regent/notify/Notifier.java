package dev.regent.notify;

import dev.regent.events.PromotionEvent;
import dev.regent.events.PromotionEvents;
import dev.regent.fs.HostLayout;
import dev.regent.spec.NotificationSpec;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the configured receivers of each promotion event, once per {@link PromotionEvent#dedupeKey()}
 * (kept in deploy/run/notifications/, so neither a restart nor a resync sends a notice twice).
 * {@link #told} only hands the event to the notifier's own thread, which persists it, POSTs it
 * (asynchronously, one notice in flight per receiver, in order) and retries a failure with
 * exponential back-off up to {@link Retry#attempts()}: a dead or slow receiver delays neither the
 * caller nor the other receivers. A notice whose delivery was cut short by a crash after the
 * receiver took it is sent again after the restart (at least once; the key makes it once otherwise).
 */
public final class Notifier implements PromotionEvents, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("regent.notify");
    /** Beyond this many events not yet taken by the notifier's thread, new ones are dropped (and logged). */
    static final int INBOX = 10_000;
    private final HostLayout layout;
    private final Supplier<List<NotificationSpec>> receivers;
    private final Supplier<String> host;
    private final Clock clock;
    private final Retry retry;
    private final Outbox outbox;
    private final HttpClient http;
    private final java.util.concurrent.ExecutorService httpThreads = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "regent-notify-http");
        t.setDaemon(true);
        return t;
    });
    private final BlockingQueue<Object> mailbox = new LinkedBlockingQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger inbox = new java.util.concurrent.atomic.AtomicInteger();
    private final Thread thread;
    private volatile boolean closed;
    private volatile Map<String, ReceiverState> shown = Map.of();

    // Owned by the notifier's thread.
    private LinkedHashSet<String> accepted;
    private final List<Pending> pending = new ArrayList<>();
    private final Set<String> inFlight = new HashSet<>();
    private final Map<String, ReceiverState> states = new LinkedHashMap<>();
    private long seq;

    private record Told(PromotionEvent event) {
    }

    private record Delivered(Pending notice, Optional<String> failure) {
    }

    /** receivers: the current desired state's spec.notifications; host: its metadata.name. */
    public Notifier(HostLayout layout, Supplier<List<NotificationSpec>> receivers, Supplier<String> host, Clock clock,
                    Retry retry) {
        this.layout = layout;
        this.receivers = receivers;
        this.host = host;
        this.clock = clock;
        this.retry = retry;
        this.outbox = new Outbox(Outbox.folder(layout));
        this.http = HttpClient.newBuilder().connectTimeout(retry.timeout()).followRedirects(HttpClient.Redirect.NEVER)
                .executor(httpThreads).build();
        this.thread = new Thread(this::run, "regent-notify");
        thread.setDaemon(true);
    }

    /** Starts the notifier's thread, which first resumes what an earlier run left pending. */
    public Notifier start() {
        thread.start();
        return this;
    }

    /** Never blocks or throws. */
    @Override
    public void told(PromotionEvent event) {
        try {
            if (inbox.incrementAndGet() > INBOX) {
                inbox.decrementAndGet();
                LOG.warn("{} events wait for the notifier already; not sending {} of {}", INBOX, event.kind(),
                        event.revision());
                return;
            }
            mailbox.add(new Told(event));
        } catch (RuntimeException e) {
            LOG.warn("could not queue a notice: {}", e.toString());
        }
    }

    /** Each receiver's state, as of the notifier's last step. */
    public Map<String, ReceiverState> states() {
        return shown;
    }

    /** The receivers' states a running (or the last) `regent run` left, for `regent status`. */
    public static List<ReceiverState> read(HostLayout layout) {
        return List.copyOf(Outbox.readStates(Outbox.folder(layout)).values());
    }

    @Override
    public void close() {
        closed = true;
        // Woken, not interrupted: an interrupt would close the file channel of a write in progress.
        mailbox.add(new Told(null));
        try {
            thread.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        httpThreads.shutdownNow();
    }

    private void run() {
        try {
            resume();
            while (!closed) {
                Object message = mailbox.poll(untilNextDue().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                while (message != null && !closed) {
                    handle(message);
                    message = mailbox.poll();
                }
                dispatchDue();
                publish();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("the notifier stopped; notices wait in {} for the next start", Outbox.folder(layout), e);
        }
    }

    private void resume() {
        accepted = outbox.acceptedKeys();
        states.putAll(outbox.states());
        pending.addAll(outbox.pending());
        seq = pending.stream().mapToLong(Pending::seq).max().orElse(0) + 1;
        Instant now = clock.instant();
        pending.replaceAll(p -> new Pending(p.seq(), p.receiver(), p.key(), p.event(), p.failures(), now));
        recount();
        saveStates();
    }

    private Duration untilNextDue() {
        Instant now = clock.instant();
        return pending.stream().filter(p -> !inFlight.contains(p.receiver())).map(Pending::due)
                .map(due -> Duration.between(now, due)).min(Duration::compareTo)
                .map(d -> d.isNegative() ? Duration.ZERO : d).filter(d -> d.compareTo(Duration.ofSeconds(1)) < 0)
                .orElse(Duration.ofSeconds(1));
    }

    private void handle(Object message) {
        try {
            if (message instanceof Told told && told.event() != null) {
                inbox.decrementAndGet();
                accept(told.event());
            } else if (message instanceof Delivered delivered) {
                finished(delivered);
            }
        } catch (RuntimeException e) {
            LOG.warn("notifier: {}", e.toString());
        }
    }

    private void accept(PromotionEvent event) {
        String key = event.dedupeKey();
        if (accepted.contains(key)) {
            return;
        }
        accepted.add(key);
        outbox.saveAccepted(accepted);
        Instant now = clock.instant();
        for (NotificationSpec receiver : receivers.get()) {
            Pending notice = new Pending(seq++, receiver.name(), key, event, 0, now);
            outbox.save(notice);
            pending.add(notice);
        }
        recount();
        saveStates();
    }

    private void dispatchDue() {
        Instant now = clock.instant();
        Map<String, NotificationSpec> configured = new LinkedHashMap<>();
        receivers.get().forEach(r -> configured.put(r.name(), r));
        var heads = new LinkedHashMap<String, Pending>();
        for (Pending p : pending) {
            heads.putIfAbsent(p.receiver(), p);
        }
        for (Pending head : heads.values()) {
            if (inFlight.contains(head.receiver()) || head.due().isAfter(now)) {
                continue;
            }
            NotificationSpec receiver = configured.get(head.receiver());
            if (receiver == null) {
                LOG.info("receiver {} is no longer configured; dropping its waiting notices", head.receiver());
                pending.removeIf(p -> p.receiver().equals(head.receiver()) && dropped(p));
                states.remove(head.receiver());
                saveStates();
                continue;
            }
            send(receiver, head);
        }
    }

    private boolean dropped(Pending p) {
        outbox.remove(p);
        return true;
    }

    private void send(NotificationSpec receiver, Pending notice) {
        inFlight.add(receiver.name());
        try {
            var request = Requests.of(receiver, layout.root(), host.get(), notice.event(), retry.timeout());
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                Optional<String> failure = error != null ? Optional.of(describe(error))
                        : response.statusCode() / 100 == 2 ? Optional.empty()
                        : Optional.of("HTTP " + response.statusCode());
                mailbox.add(new Delivered(notice, failure));
            });
        } catch (Requests.Unsendable e) {
            mailbox.add(new Delivered(notice, Optional.of(e.getMessage())));
        } catch (RuntimeException e) {
            mailbox.add(new Delivered(notice, Optional.of(describe(e))));
        }
    }

    private void finished(Delivered delivered) {
        Pending notice = delivered.notice();
        inFlight.remove(notice.receiver());
        Instant now = clock.instant();
        ReceiverState state = states.getOrDefault(notice.receiver(), ReceiverState.fresh(notice.receiver(), "?"));
        if (delivered.failure().isEmpty()) {
            pending.removeIf(p -> p.seq() == notice.seq());
            outbox.remove(notice);
            states.put(notice.receiver(), state.succeeded(now, queued(notice.receiver())));
        } else {
            String why = delivered.failure().get();
            boolean giveUp = notice.failures() + 1 >= retry.attempts();
            pending.removeIf(p -> p.seq() == notice.seq());
            if (giveUp) {
                outbox.remove(notice);
                LOG.warn("gave up telling {} of {} {} after {} attempts: {}", notice.receiver(), notice.event().kind(),
                        notice.event().revision(), retry.attempts(), why);
            } else {
                Pending again = notice.failedOnce(now.plus(retry.delayAfter(notice.failures() + 1)));
                outbox.save(again);
                pending.add(again);
                pending.sort(java.util.Comparator.comparingLong(Pending::seq));
                LOG.info("telling {} failed ({}); retrying in {} ms", notice.receiver(), why,
                        retry.delayAfter(notice.failures() + 1).toMillis());
            }
            states.put(notice.receiver(), state.failed(now, giveUp ? "gave up after " + retry.attempts() + " attempts: " + why
                    : why, queued(notice.receiver()), giveUp));
        }
        saveStates();
    }

    private int queued(String receiver) {
        return (int) pending.stream().filter(p -> p.receiver().equals(receiver)).count();
    }

    private void recount() {
        for (NotificationSpec receiver : receivers.get()) {
            String kind = receiver.kind().name().toLowerCase(Locale.ROOT);
            states.put(receiver.name(), states.getOrDefault(receiver.name(), ReceiverState.fresh(receiver.name(), kind))
                    .queued(kind, queued(receiver.name())));
        }
    }

    private void saveStates() {
        outbox.saveStates(states);
        publish();
    }

    private void publish() {
        shown = Map.copyOf(states);
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        String name = cause instanceof java.net.http.HttpTimeoutException ? "timed out"
                : cause instanceof java.net.ConnectException ? "connection refused"
                : cause.getClass().getSimpleName();
        return cause.getMessage() == null || cause.getMessage().isBlank() ? name : name + ": " + cause.getMessage();
    }

    /** Where the notices of {@code layout} wait. */
    public static Path folder(HostLayout layout) {
        return Outbox.folder(layout);
    }
}
