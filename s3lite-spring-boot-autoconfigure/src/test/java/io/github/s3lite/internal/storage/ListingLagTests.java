package io.github.s3lite.internal.storage;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.s3lite.internal.config.S3Connection;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The test S3 API's lagging listings, which the fault harness's {@code slow_list} step turns on: what an
 * eventually consistent store did to a reader of the replica, seen through s3lite's own store.
 */
class ListingLagTests {

	private static final String BUCKET = "listing-lag";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@AfterEach
	void noLag() {
		s3.lagListings(Duration.ZERO);
	}

	@Test
	void whileListingsLagAnObjectJustWrittenIsMissingFromListingsButAGetReturnsIt() throws Exception {
		try (ReplicaStore store = store("lagging")) {
			s3.lagListings(Duration.ofSeconds(30));
			List<String> keys = IntStream.range(0, 20).mapToObj((i) -> "wal/%08d.wal".formatted(i)).toList();
			for (String key : keys) {
				store.put(key, key.getBytes(StandardCharsets.UTF_8));
			}
			assertThat(names(store)).as("listed at once").hasSizeLessThan(keys.size());
			for (String key : keys) {
				assertThat(store.getVersioned(key)).as(key).isPresent();
			}
		}
	}

	@Test
	void everyObjectShowsOnceItsDelayHasPassedAndWritesAfterTheLagEndedShowAtOnce() throws Exception {
		try (ReplicaStore store = store("catching-up")) {
			s3.lagListings(Duration.ofMillis(500));
			store.put("a", new byte[] { 1 });
			s3.lagListings(Duration.ZERO);
			store.put("b", new byte[] { 2 });
			assertThat(names(store)).contains("b");
			await().atMost(Duration.ofSeconds(10)).until(() -> names(store).contains("a"));
		}
	}

	private static List<String> names(ReplicaStore store) throws Exception {
		return store.list("").stream().map(StoredObject::key).toList();
	}

	private static ReplicaStore store(String prefix) {
		return new S3ReplicaStore(S3ClientFactory.create(
				S3Connection.of(s3.endpoint(), null, null, S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)), BUCKET,
				prefix, 5 * 1024 * 1024, true);
	}

}
