package dev.meshid.ca.bench;

import dev.meshid.api.istio.v1.auth.IstioCertificateRequest;
import dev.meshid.api.istio.v1.auth.IstioCertificateResponse;
import dev.meshid.api.istio.v1.auth.IstioCertificateServiceGrpc;
import dev.meshid.api.istio.v1.auth.IstioCertificateServiceGrpc.IstioCertificateServiceStub;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A closed-loop load: {@code concurrency} call slots spread round-robin over the channels, each sending its next
 * pre-made request as soon as the previous one answered. A warm-up first (not counted); then the measured window,
 * which ends after {@code duration} or {@code maxRequests} answers, whichever comes first. Only calls started
 * inside the window count. CPU ticks of the CA (and of its JIT compiler threads), of this process and of the
 * machine are read at both edges.
 */
final class LoadRun {
    record Settings(List<ManagedChannel> channels, int concurrency, Metadata headers,
                    List<IstioCertificateRequest> requests, Duration warmup, Duration duration, long maxRequests,
                    Duration deadline, long caPid) {
    }

    record Result(long ok, double wallSeconds, long[] sortedNanos, Map<String, Long> errors, long caTicks,
                  long caJitTicks, long clientTicks, long machineTicks) {
        long failed() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static final int WARMUP = 0;
    private static final int MEASURE = 1;
    private static final int STOP = 2;

    private final Settings s;
    private final ExecutorService errorHop;
    private final List<Slot> slots = new ArrayList<>();
    private final AtomicLong measured = new AtomicLong();
    private final LongAdder ok = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final CountDownLatch countReached = new CountDownLatch(1);
    private final CountDownLatch drained;
    private volatile int phase = WARMUP;
    private volatile long windowStart;

    /** @param errorHop runs the next call after a failure, so that a burst of instant failures cannot recurse */
    LoadRun(Settings settings, ExecutorService errorHop) {
        this.s = settings;
        this.errorHop = errorHop;
        this.drained = new CountDownLatch(settings.concurrency());
        for (int i = 0; i < settings.concurrency(); i++) {
            IstioCertificateServiceStub stub = IstioCertificateServiceGrpc.newStub(s.channels().get(i % s.channels().size()))
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(s.headers()));
            slots.add(new Slot(stub, (i * 37) % s.requests().size()));
        }
    }

    Result run() throws InterruptedException {
        slots.forEach(Slot::fire);
        Thread.sleep(s.warmup().toMillis());
        long pid = ProcessHandle.current().pid();
        long ca0 = s.caPid() > 0 ? ProcCpu.processTicks(s.caPid()) : -1;
        long jit0 = s.caPid() > 0 ? ProcCpu.jitTicks(s.caPid()) : -1;
        long me0 = ProcCpu.processTicks(pid);
        long m0 = ProcCpu.machineBusyTicks();
        windowStart = System.nanoTime();
        phase = MEASURE;
        countReached.await(s.duration().toMillis(), TimeUnit.MILLISECONDS);
        phase = STOP;
        long end = System.nanoTime();
        long ca1 = s.caPid() > 0 ? ProcCpu.processTicks(s.caPid()) : -1;
        long jit1 = s.caPid() > 0 ? ProcCpu.jitTicks(s.caPid()) : -1;
        long me1 = ProcCpu.processTicks(pid);
        long m1 = ProcCpu.machineBusyTicks();
        if (!drained.await(s.deadline().toMillis() + 5000, TimeUnit.MILLISECONDS)) {
            System.err.println("warning: " + drained.getCount() + " call(s) still open after the deadline");
        }
        Map<String, Long> errs = new TreeMap<>();
        errors.forEach((code, n) -> errs.put(code, n.sum()));
        return new Result(ok.sum(), (end - windowStart) / 1e9, Latencies.merged(slots.stream().map(x -> x.latencies).toList()),
                errs, ca0 < 0 || ca1 < 0 ? -1 : ca1 - ca0, jit0 < 0 || jit1 < 0 ? -1 : jit1 - jit0, me1 - me0,
                m0 < 0 ? -1 : m1 - m0);
    }

    /** One call in flight at a time; its callbacks run one after another, so its state needs no lock. */
    private final class Slot implements StreamObserver<IstioCertificateResponse> {
        private final IstioCertificateServiceStub stub;
        private final Latencies latencies = new Latencies();
        private int next;
        private long started;
        private int chainLength;

        Slot(IstioCertificateServiceStub stub, int first) {
            this.stub = stub;
            this.next = first;
        }

        void fire() {
            if (phase == STOP) {
                drained.countDown();
                return;
            }
            IstioCertificateRequest request = s.requests().get(next);
            next = (next + 1) % s.requests().size();
            chainLength = 0;
            started = System.nanoTime();
            stub.withDeadlineAfter(s.deadline().toMillis(), TimeUnit.MILLISECONDS).createCertificate(request, this);
        }

        @Override
        public void onNext(IstioCertificateResponse response) {
            chainLength = response.getCertChainCount();
        }

        @Override
        public void onCompleted() {
            // istio-agent refuses a chain of one element; count such an answer as an error, not a certificate.
            record(chainLength >= 2 ? null : "BAD_RESPONSE");
            fire();
        }

        @Override
        public void onError(Throwable t) {
            record(Status.fromThrowable(t).getCode().name());
            errorHop.execute(this::fire);
        }

        private void record(String error) {
            long now = System.nanoTime();
            if (phase != MEASURE || started - windowStart < 0) {
                return;
            }
            if (error == null) {
                latencies.add(now - started);
                ok.increment();
            } else {
                errors.computeIfAbsent(error, k -> new LongAdder()).increment();
            }
            if (s.maxRequests() > 0 && measured.incrementAndGet() == s.maxRequests()) {
                countReached.countDown();
            }
        }
    }
}
