package dev.anycastd.checks;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Keeps the first bytes of a response body, up to a limit, and stops the download there: a
 * body check looks at the start of a page, and a server that sends without end costs no more
 * than the limit. Called by the HTTP client one signal at a time, as {@link Flow.Subscriber}
 * promises.
 */
final class BodyStart implements HttpResponse.BodySubscriber<byte[]> {

    private final int limit;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> start = new CompletableFuture<>();
    private Flow.Subscription subscription;

    private BodyStart(int limit) {
        this.limit = limit;
    }

    /** A handler that keeps at most {@code limit} bytes of each body. */
    static HttpResponse.BodyHandler<byte[]> upTo(int limit) {
        return info -> new BodyStart(limit);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        for (ByteBuffer buffer : buffers) {
            if (start.isDone()) {
                return;
            }
            int take = Math.min(buffer.remaining(), limit - kept.size());
            byte[] chunk = new byte[take];
            buffer.get(chunk);
            kept.write(chunk, 0, take);
            if (kept.size() >= limit) {
                start.complete(kept.toByteArray());
                subscription.cancel();
            }
        }
    }

    @Override
    public void onError(Throwable error) {
        start.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        start.complete(kept.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return start;
    }
}
