package io.github.s3lite.internal.lease;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.s3lite.internal.config.S3Connection;
import io.github.s3lite.internal.lifecycle.LifecycleState;
import io.github.s3lite.internal.lifecycle.LifecycleTransition;
import io.github.s3lite.internal.storage.FileReplicaStore;
import io.github.s3lite.internal.storage.ForwardingReplicaStore;
import io.github.s3lite.internal.storage.ReplicaStore;
import io.github.s3lite.internal.storage.S3ClientFactory;
import io.github.s3lite.internal.storage.S3ReplicaStore;
import io.github.s3lite.internal.storage.VersionedObject;
import io.github.s3lite.test.FaultProxy;
import io.github.s3lite.test.MutableClock;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Hand-over requests in {@code lock.json} itself, against a real S3 API (S3Proxy) and a directory: a
 * follower adds its request to the holder's lease with {@code If-Match}; the holder finds it when its
 * next renewal is refused, renews over it (same generation, the request consumed) and is not fenced by
 * it; a request against a lease renewed meanwhile is refused; a release over a request still releases;
 * a request whose answers were lost is written once. An idle writer's only requests are its renewals.
 */
class HandoverRequestTests {

	private static final String BUCKET = "handover-requests";

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
	void aRequestAddedByAFollowerIsSeenAtTheHoldersNextRenewalWhichKeepsTheGenerationAndConsumesIt(
			Function<String, ReplicaStore> stores) throws IOException {
		try (ReplicaStore store = stores.apply("replica-" + UUID.randomUUID())) {
			ReplicaLease holder = lease(store, "holder");
			HeldLease held = acquired(holder);
			ReplicaLease follower = lease(store, "follower");
			Instant askedAt = this.clock.instant();
			assertThat(follower.requestHandover()).isTrue();
			byte[] asked = content(store);
			String original = new String(held.record().toJson(), StandardCharsets.UTF_8);
			assertThat(new String(asked, StandardCharsets.UTF_8))
				.as("the holder's lease byte for byte, the request added")
				.startsWith(original.substring(0, original.length() - 1))
				.containsOnlyOnce("handover_requested_by");
			assertThat(LeaseRecord.parse(asked)).isEqualTo(held.record());
			assertThat(HandoverRequest.in(asked)).contains(new HandoverRequest("follower", askedAt));
			assertThat(follower.acquire()).isEqualTo(new LeaseAttempt.HeldElsewhere(held.record()));
			this.clock.advance(Duration.ofSeconds(1));
			assertThat(follower.requestHandover()).as("a request already there is not rewritten").isFalse();
			assertThat(content(store)).isEqualTo(asked);

			this.clock.advance(Duration.ofSeconds(9));
			List<HandoverRequest> requests = new ArrayList<>();
			HeldLease renewed = holder.renew(held, requests::add).orElseThrow();
			assertThat(requests).containsExactly(new HandoverRequest("follower", askedAt));
			assertThat(renewed.record()).isEqualTo(new LeaseRecord(1, this.clock.instant().plus(TTL), "holder"));
			assertThat(content(store)).as("the request consumed").isEqualTo(renewed.record().toJson());
			this.clock.advance(Duration.ofSeconds(10));
			assertThat(holder.renew(renewed, requests::add)).isPresent();
			assertThat(requests).hasSize(1);
		}
	}

	@Test
	void aRequestAgainstALeaseRenewedMeanwhileIsRefusedAndAskedAgainLater() throws IOException {
		String prefix = "replica-" + UUID.randomUUID();
		try (ReplicaStore store = s3Store(s3.endpoint(), prefix)) {
			ReplicaLease holder = lease(store, "holder");
			HeldLease held = acquired(holder);
			AtomicReference<HeldLease> renewedMeanwhile = new AtomicReference<>();
			// the holder renews between the follower's read of the lease and its conditional write
			ReplicaStore racing = new ForwardingReplicaStore(s3Store(s3.endpoint(), prefix)) {

				@Override
				public Optional<VersionedObject> getVersioned(String key) throws IOException {
					Optional<VersionedObject> read = super.getVersioned(key);
					if (renewedMeanwhile.get() == null) {
						HandoverRequestTests.this.clock.advance(Duration.ofSeconds(10));
						renewedMeanwhile.set(holder.renew(held).orElseThrow());
					}
					return read;
				}

			};
			try (racing) {
				ReplicaLease follower = lease(racing, "follower");
				assertThat(follower.requestHandover()).isFalse();
				assertThat(content(store)).as("refused: the renewed lease, no request")
					.isEqualTo(renewedMeanwhile.get().record().toJson());
				List<HandoverRequest> requests = new ArrayList<>();
				this.clock.advance(Duration.ofSeconds(5));
				assertThat(follower.requestHandover()).as("asked again at its next due time").isTrue();
				this.clock.advance(Duration.ofSeconds(5));
				assertThat(holder.renew(renewedMeanwhile.get(), requests::add)).isPresent();
				assertThat(requests).extracting(HandoverRequest::requestedBy).containsExactly("follower");
			}
		}
	}

	@ParameterizedTest
	@MethodSource("stores")
	void aReleaseOfALeaseCarryingARequestStillReleasesIt(Function<String, ReplicaStore> stores) throws IOException {
		try (ReplicaStore store = stores.apply("replica-" + UUID.randomUUID())) {
			ReplicaLease holder = lease(store, "holder");
			HeldLease held = acquired(holder);
			ReplicaLease follower = lease(store, "follower");
			assertThat(follower.requestHandover()).isTrue();
			assertThat(holder.release(held)).isTrue();
			assertThat(HandoverRequest.in(content(store))).isEmpty();
			assertThat(holder.readHolder()).hasValueSatisfying((released) -> {
				assertThat(released.owner()).isEqualTo("holder");
				assertThat(released.isExpiredAt(this.clock.instant())).isTrue();
			});
			assertThat(acquired(follower).record().generation()).isEqualTo(2);
		}
	}

	@Test
	void aRequestWhosePutAnswersWereLostIsWrittenOnceAndStillServed() throws IOException {
		String prefix = "replica-" + UUID.randomUUID();
		try (FaultProxy proxy = FaultProxy.forward(s3.port());
				ReplicaStore store = s3Store(s3.endpoint(), prefix);
				ReplicaStore reads = s3Store(s3.endpoint(), prefix);
				ReplicaStore lossy = new ForwardingReplicaStore(s3Store(proxy.endpoint(), prefix)) {

					@Override
					public Optional<VersionedObject> getVersioned(String key) throws IOException {
						// the follower's look at the lease is answered; every answer to its write is lost
						return reads.getVersioned(key);
					}

				}) {
			ReplicaLease holder = lease(store, "holder");
			HeldLease held = acquired(holder);
			ReplicaLease follower = lease(lossy, "follower");
			proxy.set(FaultProxy.Fault.LOSE_ANSWERS);
			assertThatExceptionOfType(IOException.class).isThrownBy(follower::requestHandover);
			proxy.set(FaultProxy.Fault.NONE);
			assertThat(puts(proxy)).as("the client's attempts, the first applied").isGreaterThan(1);
			byte[] asked = content(store);
			assertThat(new String(asked, StandardCharsets.UTF_8)).containsOnlyOnce("handover_requested_by");
			long attempts = puts(proxy);
			this.clock.advance(Duration.ofSeconds(15));
			assertThat(follower.requestHandover()).as("asked again: its request is there").isFalse();
			assertThat(puts(proxy)).as("nothing written again").isEqualTo(attempts);
			assertThat(content(store)).isEqualTo(asked);
			List<HandoverRequest> requests = new ArrayList<>();
			assertThat(holder.renew(held, requests::add)).isPresent();
			assertThat(requests).extracting(HandoverRequest::requestedBy).containsExactly("follower");
		}
	}

	@Test
	void aWriterThatFindsARequestAtItsRenewalHandsOverWithoutBeingFencedAndReleasesItsGeneration()
			throws IOException {
		String prefix = "replica-" + UUID.randomUUID();
		Clock wallClock = Clock.systemUTC();
		// the default ttl: renewed every 10 s; the former writer's next poll is 5 s after the hand-over
		LeaseTiming timing = new LeaseTiming(TTL);
		try (ReplicaStore store = s3Store(s3.endpoint(), prefix);
				LeaseRole role = LeaseRole.start(new ReplicaLease(store, "writer", timing, wallClock), store, wallClock);
				ReplicaStore other = s3Store(s3.endpoint(), prefix)) {
			assertThat(role.holdsLease()).isTrue();
			role.startedWriting();
			LeaseRoleTests.RecordingChange change = new LeaseRoleTests.RecordingChange(directory.resolve("app.db"));
			role.watch(change);
			ReplicaLease successor = new ReplicaLease(other, "successor", timing, wallClock);
			assertThat(successor.requestHandover()).isTrue();
			await("the hand-over at the next renewal").atMost(Duration.ofSeconds(30))
				.until(() -> role.status().role().equals("follower"));
			assertThat(role.lifecycle().history()).extracting(LifecycleTransition::to)
				.containsSubsequence(LifecycleState.WRITING, LifecycleState.HANDING_OVER, LifecycleState.FOLLOWING)
				.doesNotContain(LifecycleState.FENCED);
			assertThat(role.status().lastHandover()).startsWith("to 'successor' at ");
			assertThat(successor.readHolder()).hasValueSatisfying((released) -> {
				assertThat(released.owner()).isEqualTo("writer");
				assertThat(released.generation()).as("renewed over the request, never taken over").isEqualTo(1);
				assertThat(released.isExpiredAt(wallClock.instant())).isTrue();
			});
			assertThat(acquired(successor).record().generation()).isEqualTo(2);
		}
	}

	@Test
	void anIdleWritersOnlyRequestsAreItsRenewals() throws IOException {
		String prefix = "replica-" + UUID.randomUUID();
		Clock wallClock = Clock.systemUTC();
		try (FaultProxy proxy = FaultProxy.forward(s3.port());
				ReplicaStore store = s3Store(proxy.endpoint(), prefix);
				LeaseRole role = LeaseRole.start(
						new ReplicaLease(store, "writer", new LeaseTiming(Duration.ofSeconds(3)), wallClock), store,
						wallClock)) {
			role.startedWriting();
			role.watch(new LeaseRoleTests.RecordingChange(directory.resolve("idle.db")));
			int before = proxy.requests().size();
			// renewed every second, polled every half second: four renewals span eight polls
			await().atMost(Duration.ofSeconds(20)).until(() -> proxy.requests().size() >= before + 4);
			assertThat(proxy.requests().subList(before, proxy.requests().size()))
				.allMatch((line) -> line.startsWith("PUT /" + BUCKET + "/" + prefix + "/lock.json "));
			assertThat(role.isWriter()).isTrue();
		}
	}

	private static long puts(FaultProxy proxy) {
		return proxy.requests().stream().filter((line) -> line.startsWith("PUT ")).count();
	}

	private static byte[] content(ReplicaStore store) throws IOException {
		return store.getVersioned(ReplicaLease.KEY).orElseThrow().content();
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

}
