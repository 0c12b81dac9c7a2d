package io.github.s3lite.internal.lease;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.s3lite.internal.config.S3Connection;
import io.github.s3lite.internal.storage.FileReplicaStore;
import io.github.s3lite.internal.storage.ReplicaStore;
import io.github.s3lite.internal.storage.S3ClientFactory;
import io.github.s3lite.internal.storage.S3ReplicaStore;
import io.github.s3lite.test.AnswerDroppingProxy;
import io.github.s3lite.test.FaultProxy;
import io.github.s3lite.test.S3ProxyServer;
import io.github.s3lite.test.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The lease protocol against a real S3 API (S3Proxy, conditional writes evaluated) and a directory:
 * one test, both stores. Two {@link ReplicaLease}s on one replica stand for two instances; their clocks
 * are moved by hand.
 */
class ReplicaLeaseTests {

	private static final String BUCKET = "lease-protocol";

	private static final Duration TTL = Duration.ofSeconds(30);

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	static Path directory;

	private final MutableClock clock = new MutableClock(Instant.parse("2026-09-01T10:00:00Z"));

	static Stream<Arguments> stores() {
		Function<String, ReplicaStore> onS3 = (prefix) -> s3Store(s3.endpoint(), prefix);
		Function<String, ReplicaStore> inDirectory = (prefix) -> new FileReplicaStore(directory.resolve(prefix));
		return Stream.of(Arguments.of(Named.of("s3", onS3)), Arguments.of(Named.of("file", inDirectory)));
	}

	@ParameterizedTest
	@MethodSource("stores")
	void aFreshReplicaIsLeasedWithGenerationOneAndTheLeaseIsThreeFieldJson(Function<String, ReplicaStore> stores)
			throws IOException {
		try (ReplicaStore store = fresh(stores)) {
			LeaseAttempt attempt = lease(store, "a").acquire();
			assertThat(attempt).isInstanceOf(LeaseAttempt.Acquired.class);
			HeldLease held = ((LeaseAttempt.Acquired) attempt).lease();
			assertThat(held.record()).isEqualTo(new LeaseRecord(1, this.clock.instant().plus(TTL), "a"));
			String json = new String(store.getVersioned(ReplicaLease.KEY).orElseThrow().content(),
					StandardCharsets.UTF_8);
			assertThat(json).isEqualTo("{\"generation\":1,\"expires_at\":\"2026-09-01T10:00:30Z\",\"owner\":\"a\"}");
		}
	}

	@ParameterizedTest
	@MethodSource("stores")
	void aLiveLeaseIsRefusedAndNamesItsHolderAndExpiry(Function<String, ReplicaStore> stores) throws IOException {
		try (ReplicaStore store = fresh(stores)) {
			acquired(lease(store, "a"));
			this.clock.advance(TTL);
			LeaseAttempt attempt = lease(store, "b").acquire();
			assertThat(attempt).isEqualTo(new LeaseAttempt.HeldElsewhere(
					new LeaseRecord(1, Instant.parse("2026-09-01T10:00:30Z"), "a")));
		}
	}

	@ParameterizedTest
	@MethodSource("stores")
	void anExpiredLeaseIsTakenOverWithTheNextGenerationAndItsOldHolderCannotRenew(
			Function<String, ReplicaStore> stores) throws IOException {
		try (ReplicaStore store = fresh(stores)) {
			ReplicaLease a = lease(store, "a");
			HeldLease heldByA = acquired(a);
			this.clock.advance(TTL.plusMillis(1));
			HeldLease heldByB = acquired(lease(store, "b"));
			assertThat(heldByB.record().generation()).isEqualTo(2);
			assertThat(heldByB.record().owner()).isEqualTo("b");
			assertThat(a.renew(heldByA)).isEmpty();
			assertThat(a.release(heldByA)).isFalse();
			assertThat(a.readHolder()).contains(heldByB.record());
		}
	}

	@ParameterizedTest
	@MethodSource("stores")
	void aRenewalExtendsTheLeaseKeepsItsGenerationAndChangesTheEtag(Function<String, ReplicaStore> stores)
			throws IOException {
		try (ReplicaStore store = fresh(stores)) {
			ReplicaLease a = lease(store, "a");
			HeldLease held = acquired(a);
			this.clock.advance(Duration.ofSeconds(10));
			HeldLease renewed = a.renew(held).orElseThrow();
			assertThat(renewed.record()).isEqualTo(new LeaseRecord(1, this.clock.instant().plus(TTL), "a"));
			assertThat(renewed.etag()).isNotEqualTo(held.etag());
			this.clock.advance(Duration.ofSeconds(10));
			assertThat(a.renew(renewed)).isPresent();
			this.clock.advance(Duration.ofSeconds(1));
			assertThat(a.renew(held)).as("a renewal with a stale ETag").isEmpty();
		}
	}

	@ParameterizedTest
	@MethodSource("stores")
	void aRenewalAfterAnotherClientOverwroteTheLeaseIsRefused(Function<String, ReplicaStore> stores)
			throws IOException {
		try (ReplicaStore store = fresh(stores)) {
			ReplicaLease a = lease(store, "a");
			HeldLease held = acquired(a);
			LeaseRecord thief = new LeaseRecord(9, this.clock.instant().plus(Duration.ofHours(1)), "thief");
			store.put(ReplicaLease.KEY, thief.toJson());
			assertThat(a.renew(held)).isEmpty();
			assertThat(a.readHolder()).contains(thief);
		}
	}

	@ParameterizedTest
	@MethodSource("stores")
	void aReleasedLeaseIsExpiredNotDeletedAndAnotherInstanceTakesItAtOnceWithTheNextGeneration(
			Function<String, ReplicaStore> stores) throws IOException {
		try (ReplicaStore store = fresh(stores)) {
			ReplicaLease a = lease(store, "a");
			assertThat(a.release(acquired(a))).isTrue();
			assertThat(a.readHolder()).hasValueSatisfying((released) -> {
				assertThat(released.owner()).isEqualTo("a");
				assertThat(released.generation()).isEqualTo(1);
				assertThat(released.isExpiredAt(this.clock.instant())).isTrue();
			});
			HeldLease heldByB = acquired(lease(store, "b"));
			assertThat(heldByB.record().generation()).as("the generation keeps counting across releases").isEqualTo(2);
			assertThat(heldByB.record().owner()).isEqualTo("b");
		}
	}

	@Test
	void aReleaseSendsNoDeleteSoAProviderThatIgnoresConditionalDeletesCannotRemoveASuccessorsLease()
			throws IOException {
		try (FaultProxy proxy = FaultProxy.forward(s3.port());
				ReplicaStore store = s3Store(proxy.endpoint(), "replica-" + UUID.randomUUID())) {
			ReplicaLease a = lease(store, "a");
			HeldLease heldByA = acquired(a);
			this.clock.advance(TTL.plusMillis(1));
			HeldLease heldByB = acquired(lease(store, "b"));
			assertThat(a.release(heldByA)).isFalse();
			assertThat(proxy.requests()).noneMatch((line) -> line.startsWith("DELETE "));
			assertThat(a.readHolder()).contains(heldByB.record());
		}
	}

	@ParameterizedTest(name = "{0} of 5 attempts lose their answer")
	@ValueSource(ints = { 1, 5 })
	void aLeaseWrittenByARequestWhoseAnswersWereLostIsHeld(int lostAnswers) throws IOException {
		// the client retries a create whose answer was lost: the retry is refused (or, when every attempt
		// loses its answer, fails) because of the object the first attempt wrote, which is this lease
		try (AnswerDroppingProxy proxy = AnswerDroppingProxy.forward(s3.port(), lostAnswers);
				ReplicaStore store = s3Store(proxy.endpoint(), "replica-" + UUID.randomUUID())) {
			HeldLease held = acquired(lease(store, "a"));
			assertThat(proxy.dropped()).isEqualTo(lostAnswers);
			assertThat(held.record().owner()).isEqualTo("a");
			assertThat(held.etag()).isEqualTo(store.getVersioned(ReplicaLease.KEY).orElseThrow().etag());
			assertThat(lease(store, "b").acquire()).isInstanceOf(LeaseAttempt.HeldElsewhere.class);
			// with Expect: 100-continue, the JDK's client turns an early refusal into a failed body write
			assertThat(proxy.requestsExpectingContinue()).isZero();
		}
	}

	@Test
	void aLeaseWrittenWhileEveryAnswerWasLostEvenTheLookAtItIsRecognisedAsOwnAtTheNextAttempt() throws IOException {
		try (AnswerDroppingProxy proxy = AnswerDroppingProxy.forwardLosingReadsToo(s3.port(), 5);
				ReplicaStore store = s3Store(proxy.endpoint(), "replica-" + UUID.randomUUID())) {
			ReplicaLease a = lease(store, "a");
			assertThatExceptionOfType(IOException.class).isThrownBy(a::acquire);
			assertThat(a.hasUnconfirmedWrite()).isTrue();
			proxy.answerReadsAgain();
			assertThat(lease(store, "a").acquire()).as("another instance with the same owner name")
				.isInstanceOf(LeaseAttempt.HeldElsewhere.class);
			HeldLease held = acquired(a);
			assertThat(held.record().owner()).isEqualTo("a");
			assertThat(held.etag()).isEqualTo(store.getVersioned(ReplicaLease.KEY).orElseThrow().etag());
			assertThat(a.hasUnconfirmedWrite()).isFalse();
		}
	}

	@Test
	void aStartWhoseLeaseWriteAndItsLookLostEveryAnswerTakesTheLeaseAtTheNextAttemptInsteadOfFollowingItself()
			throws Exception {
		try (AnswerDroppingProxy proxy = AnswerDroppingProxy.forwardLosingReadsToo(s3.port(), 5);
				ReplicaStore store = s3Store(proxy.endpoint(), "replica-" + UUID.randomUUID())) {
			ReplicaLease a = lease(store, "a");
			CompletableFuture<Void> readsBack = CompletableFuture.runAsync(() -> {
				await().atMost(Duration.ofSeconds(60)).until(a::hasUnconfirmedWrite);
				proxy.answerReadsAgain();
			});
			LeaseAttempt attempt = LeaseAcquisition.attemptAtStartup(a, this.clock);
			readsBack.get();
			assertThat(attempt).isInstanceOf(LeaseAttempt.Acquired.class);
			assertThat(((LeaseAttempt.Acquired) attempt).lease().etag())
				.isEqualTo(store.getVersioned(ReplicaLease.KEY).orElseThrow().etag());
		}
	}

	@Test
	void aRenewalWhoseEveryAttemptLostItsAnswerIsKept() throws IOException {
		String prefix = "replica-" + UUID.randomUUID();
		HeldLease held;
		try (ReplicaStore direct = s3Store(s3.endpoint(), prefix)) {
			held = acquired(lease(direct, "a"));
		}
		try (AnswerDroppingProxy proxy = AnswerDroppingProxy.forward(s3.port(), 5);
				ReplicaStore store = s3Store(proxy.endpoint(), prefix)) {
			this.clock.advance(Duration.ofSeconds(10));
			HeldLease renewed = lease(store, "a").renew(held).orElseThrow();
			assertThat(proxy.dropped()).isEqualTo(5);
			assertThat(renewed.record().expiresAt()).isEqualTo(this.clock.instant().plus(TTL));
			assertThat(renewed.etag()).isEqualTo(store.getVersioned(ReplicaLease.KEY).orElseThrow().etag());
		}
	}

	private static ReplicaStore s3Store(String endpoint, String prefix) {
		return new S3ReplicaStore(S3ClientFactory.create(
				S3Connection.of(endpoint, null, null, S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)), BUCKET,
				prefix, S3ReplicaStore.DEFAULT_PART_SIZE, true);
	}

	private ReplicaLease lease(ReplicaStore store, String owner) {
		return new ReplicaLease(store, owner, new LeaseTiming(TTL), this.clock);
	}

	private static HeldLease acquired(ReplicaLease lease) throws IOException {
		LeaseAttempt attempt = lease.acquire();
		assertThat(attempt).isInstanceOf(LeaseAttempt.Acquired.class);
		return ((LeaseAttempt.Acquired) attempt).lease();
	}

	private static ReplicaStore fresh(Function<String, ReplicaStore> stores) {
		return stores.apply("replica-" + UUID.randomUUID());
	}

}
